/** The verdict in sentences: per kind of payload, the measured range and the reason. */
import { PAYLOAD_KINDS, type PayloadKind } from './message-case.js';
import type { MessageSizes } from './message-sizes.js';
import { CLAIMED_SAVING, formatChange, PAYLOAD_REASONS } from './size-verdict.js';

interface Measured {
  readonly id: string;
  readonly direction: string;
  readonly payload: PayloadKind;
  readonly sizes: MessageSizes;
}

const claim = `${Math.round(CLAIMED_SAVING * 100)}%`;

function range(values: readonly number[]): string {
  const changes = [...new Set(values.map(formatChange))];
  return changes.length === 1 ? changes[0]! : `${changes[0]} to ${changes.at(-1)}`;
}

function noteFor(payload: PayloadKind, group: readonly Measured[]): string {
  const holds = group.filter((m) => m.sizes.protobufSaving >= CLAIMED_SAVING);
  const verdict =
    holds.length === group.length
      ? `the ${claim} holds`
      : holds.length === 0
        ? `the ${claim} does not hold`
        : `the ${claim} holds for ${holds.map((m) => `${m.direction} ${m.id}`).join(', ')} only`;
  const byteChange = range(
    [...group]
      .sort((a, b) => b.sizes.protobufSaving - a.sizes.protobufSaving)
      .map((m) => m.sizes.protobufSaving),
  );
  const gzipChange = range(
    [...group]
      .sort((a, b) => b.sizes.gzipProtobufSaving - a.sizes.gzipProtobufSaving)
      .map((m) => m.sizes.gzipProtobufSaving),
  );
  const names = group.map((m) => `${m.direction} ${m.id}`).join(', ');
  const measured = `protobuf vs JSON ${byteChange}, gzipped ${gzipChange}`;
  return `${payload} (${names}): ${verdict}; ${measured}. Why: ${PAYLOAD_REASONS[payload]}.`;
}

/** gzip shrinks JSON more than protobuf: how far it closes the gap, and where it barely helps. */
function gzipNote(messages: readonly Measured[]): string {
  const holding = messages.filter((m) => m.sizes.gzipProtobufSaving >= CLAIMED_SAVING);
  const smallest = [...messages].sort((a, b) => a.sizes.protobuf - b.sizes.protobuf)[0]!;
  const s = smallest.sizes;
  return (
    `gzip on both sides: the ${claim} holds for ${holding.length} of ${messages.length} messages ` +
    `(protobuf vs JSON ${range(messages.map((m) => m.sizes.gzipProtobufSaving).sort((a, b) => b - a))}). ` +
    'gzip removes the repeated field names and most of base64, which is what JSON pays extra for; ' +
    `its header and trailer (18 bytes) leave small messages little to gain: ${smallest.direction} ` +
    `${smallest.id} goes from ${s.protobuf} to ${s.gzipProtobuf} bytes (protobuf), ` +
    `${s.json} to ${s.gzipJson} (JSON).`
  );
}

export function sizeNotes(messages: readonly Measured[]): string[] {
  if (messages.length === 0) return [];
  const byPayload = PAYLOAD_KINDS.flatMap((payload) => {
    const group = messages.filter((m) => m.payload === payload);
    return group.length === 0 ? [] : [noteFor(payload, group)];
  });
  return [...byPayload, gzipNote(messages)];
}
