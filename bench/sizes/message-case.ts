/**
 * One message of the corpus, with the four codec operations the two protocols run
 * on it. The codec's type is erased behind closures so that cases of different
 * message types sit in one list.
 */
import type { MessageFns } from '../../proto/gen/speech/v1/speech.js';

export const MESSAGE_DIRECTIONS = ['request', 'response'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

/** What makes up most of the message: decides how the encodings compare. */
export const PAYLOAD_KINDS = ['short strings', 'long text', 'audio bytes', 'floats'] as const;
export type PayloadKind = (typeof PAYLOAD_KINDS)[number];

export interface MessageCase {
  /** Stable, e.g. `transcribe-30s`; unique together with the direction. */
  readonly id: string;
  readonly direction: MessageDirection;
  /** Fully qualified protobuf type, e.g. `speech.v1.TranscribeRequest`. */
  readonly typeName: string;
  /** For people: what the message holds and where it came from. */
  readonly description: string;
  readonly payload: PayloadKind;
  /** The message object itself, as ts-proto types it. */
  readonly message: object;
  /** ts-proto: `encode(m).finish()`, what gRPC sends. */
  encodeProtobuf(): Uint8Array;
  decodeProtobuf(bytes: Uint8Array): unknown;
  /** `JSON.stringify(toJSON(m))`: the canonical proto3 JSON the REST side sends. */
  encodeJson(): string;
  /** `fromJSON(JSON.parse(text))`: what the REST side does with a body. */
  decodeJson(text: string): unknown;
}

export interface CaseSpec<T extends object> {
  readonly id: string;
  readonly direction: MessageDirection;
  readonly typeName: string;
  readonly description: string;
  readonly payload: PayloadKind;
  readonly codec: MessageFns<T>;
  readonly message: T;
}

export function messageCase<T extends object>(spec: CaseSpec<T>): MessageCase {
  const { codec, message } = spec;
  return {
    id: spec.id,
    direction: spec.direction,
    typeName: spec.typeName,
    description: spec.description,
    payload: spec.payload,
    message,
    encodeProtobuf: () => codec.encode(message).finish(),
    decodeProtobuf: (bytes) => codec.decode(bytes),
    encodeJson: () => JSON.stringify(codec.toJSON(message)),
    decodeJson: (text) => codec.fromJSON(JSON.parse(text)),
  };
}
