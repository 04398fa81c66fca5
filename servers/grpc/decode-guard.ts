/**
 * grpc-js answers INTERNAL when a request deserializer throws, which would blame
 * the server for a client's malformed bytes. Deserializers wrapped here return a
 * `MalformedMessage` instead, and the handler answers INVALID_ARGUMENT.
 */
export class MalformedMessage {
  constructor(readonly reason: string) {}
}

export function guardDeserializer<T>(decode: (bytes: Buffer) => T): (bytes: Buffer) => T | MalformedMessage {
  return (bytes) => {
    try {
      return decode(bytes);
    } catch (error) {
      return new MalformedMessage(error instanceof Error ? error.message : String(error));
    }
  };
}
