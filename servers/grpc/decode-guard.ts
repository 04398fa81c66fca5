/**
 * grpc-js answers INTERNAL when a request deserializer throws, which would blame
 * the server for a client's malformed bytes. Deserializers wrapped here return a
 * `MalformedMessage` instead, and the handler answers INVALID_ARGUMENT.
 */
export class MalformedMessage {
  constructor(readonly reason: string) {}
}

/** The size on the wire of each decoded request and encoded answer, for the usage ledger (no second encode). */
const wireBytes = new WeakMap<object, number>();

export function wireBytesOf(message: unknown): number {
  return typeof message === 'object' && message !== null ? (wireBytes.get(message) ?? 0) : 0;
}

export function guardDeserializer<T>(decode: (bytes: Buffer) => T): (bytes: Buffer) => T | MalformedMessage {
  return (bytes) => {
    try {
      const message = decode(bytes);
      if (typeof message === 'object' && message !== null) wireBytes.set(message, bytes.length);
      return message;
    } catch (error) {
      return new MalformedMessage(error instanceof Error ? error.message : String(error));
    }
  };
}

/** Notes each answer's encoded size under the answer, as the deserializer does for requests. */
export function measuredSerializer<T>(encode: (message: T) => Buffer): (message: T) => Buffer {
  return (message) => {
    const bytes = encode(message);
    if (typeof message === 'object' && message !== null) wireBytes.set(message, bytes.length);
    return bytes;
  };
}
