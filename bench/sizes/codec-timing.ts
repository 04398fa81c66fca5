/** Encode and decode time of one message: ts-proto against JSON, interleaved. */
import { DEFAULT_TIMING, type TimingOptions, timeInterleaved } from './interleaved-timing.js';
import type { MessageCase } from './message-case.js';

export interface CodecTiming {
  /** Median nanoseconds per message. */
  readonly protobufNs: number;
  readonly jsonNs: number;
  /** jsonNs / protobufNs: above 1, protobuf is faster. */
  readonly jsonOverProtobuf: number;
}

export interface MessageTimings {
  readonly encode: CodecTiming;
  readonly decode: CodecTiming;
  /** Measured rounds (each times every operation once). */
  readonly rounds: number;
}

function codecTiming(protobufNs: number, jsonNs: number): CodecTiming {
  return { protobufNs, jsonNs, jsonOverProtobuf: jsonNs / protobufNs };
}

export function timeCodecs(message: MessageCase, options: TimingOptions = DEFAULT_TIMING): MessageTimings {
  // Decoding starts from what the other side would receive: bytes, or the JSON text.
  const protobuf = message.encodeProtobuf();
  const json = message.encodeJson();
  const [pbEncode, jsonEncode, pbDecode, jsonDecode] = timeInterleaved(
    [
      { name: 'protobuf encode', run: () => message.encodeProtobuf() },
      { name: 'json encode', run: () => message.encodeJson() },
      { name: 'protobuf decode', run: () => message.decodeProtobuf(protobuf) },
      { name: 'json decode', run: () => message.decodeJson(json) },
    ],
    options,
  );
  return {
    encode: codecTiming(pbEncode!.medianNs, jsonEncode!.medianNs),
    decode: codecTiming(pbDecode!.medianNs, jsonDecode!.medianNs),
    rounds: pbEncode!.rounds,
  };
}
