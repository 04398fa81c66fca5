/**
 * The seed's claim: "protobuf is 30% smaller than JSON". Judged per message,
 * before and after gzip, and explained per kind of payload.
 */
import type { PayloadKind } from './message-case.js';
import type { MessageSizes } from './message-sizes.js';

export const CLAIMED_SAVING = 0.3;

export interface SizeVerdict {
  /** protobuf is at least 30% smaller than JSON. */
  readonly holds: boolean;
  /** The same, both gzipped. */
  readonly holdsGzipped: boolean;
}

export function sizeVerdict(sizes: MessageSizes): SizeVerdict {
  return {
    holds: sizes.protobufSaving >= CLAIMED_SAVING,
    holdsGzipped: sizes.gzipProtobufSaving >= CLAIMED_SAVING,
  };
}

/** `-58%` when protobuf is smaller, `+12%` when it is larger. */
export function formatChange(saving: number): string {
  const percent = Math.round(-saving * 100);
  return `${percent > 0 ? '+' : percent < 0 ? '-' : '±'}${Math.abs(percent)}%`;
}

/** Why a kind of payload compares as it does; the measured numbers are added by the caller. */
export const PAYLOAD_REASONS: Record<PayloadKind, string> = {
  'short strings':
    'protobuf frames a string with a tag and a length (2 bytes); JSON repeats the field name ' +
    'and adds quotes, colons and commas, which weigh a lot next to a few short words',
  'long text':
    'the text is the same UTF-8 bytes in both encodings; only the framing differs, so ' +
    'the saving shrinks as the text grows',
  'audio bytes':
    'JSON carries bytes as base64, 4 characters per 3 bytes (+33%), so protobuf saves at most ' +
    '25% on audio: the 30% never holds; gzip wins back part of base64 (6 bits per character)',
  floats:
    'a double is 8 bytes in protobuf (plus a tag unless packed); JSON writes the shortest decimal ' +
    'that round-trips: up to 17 significant digits (0.019867396664165992 is 20 characters), ' +
    "but 1 for 0 or 1 (the reference engine's word confidences are all 1; a real recognizer's " +
    'would cost JSON more)',
};
