/** Bytes that no protobuf decoder may accept as a request message, each named for how it is broken. */
export const malformedProtobufs: readonly (readonly [name: string, bytes: Buffer])[] = [
  ['truncated varint', Buffer.from([0x0a, 0xff, 0xff, 0xff])],
  ['length prefix past the end', Buffer.from([0x0a, 0x7f, 0x61])],
  ['absurd length prefix', Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x61])],
  ['invalid wire type', Buffer.from([0x0f, 0x01])],
  ['random bytes', Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex')],
];
