/**
 * Where a connection's socket bytes went, per direction, counted where the bytes are
 * built or parsed (never estimated from sizes): the four parts add up to the socket total.
 *
 * - body: the encoded messages (for gRPC without the 5-byte length prefix);
 * - framing: what carries them: gRPC message prefixes, the 9-byte headers of HTTP/2
 *   DATA/HEADERS/CONTINUATION frames, HTTP/1.1 chunk-size lines and their CRLFs;
 * - headers: HTTP/1.1 start line and header text with every CRLF, HTTP/2 header
 *   blocks (HPACK as sent and received, trailers included);
 * - control: what belongs to the connection, not a call: the HTTP/2 preface and whole
 *   SETTINGS, WINDOW_UPDATE, PING, RST_STREAM, GOAWAY and PRIORITY frames.
 */

export interface ByteParts {
  readonly body: number;
  readonly framing: number;
  readonly headers: number;
  readonly control: number;
}

export interface ByteBreakdown {
  readonly written: ByteParts;
  readonly read: ByteParts;
}

/** Mutable counts, bumped with integer adds on the hot paths. */
export class PartCounts implements ByteParts {
  body = 0;
  framing = 0;
  headers = 0;
  control = 0;

  add(parts: ByteParts): void {
    this.body += parts.body;
    this.framing += parts.framing;
    this.headers += parts.headers;
    this.control += parts.control;
  }
}

export class ByteTally implements ByteBreakdown {
  readonly written = new PartCounts();
  readonly read = new PartCounts();

  add(breakdown: ByteBreakdown): void {
    this.written.add(breakdown.written);
    this.read.add(breakdown.read);
  }
}

export function partsTotal(parts: ByteParts): number {
  return parts.body + parts.framing + parts.headers + parts.control;
}

function partsMinus(a: ByteParts, b: ByteParts): ByteParts {
  return {
    body: a.body - b.body,
    framing: a.framing - b.framing,
    headers: a.headers - b.headers,
    control: a.control - b.control,
  };
}

/** What was counted between two snapshots (for a measured window). */
export function breakdownMinus(end: ByteBreakdown, start: ByteBreakdown): ByteBreakdown {
  return { written: partsMinus(end.written, start.written), read: partsMinus(end.read, start.read) };
}

/** The sum over connections, or undefined when any of them cannot break its bytes down. */
export function sumBreakdowns(
  connections: readonly { readonly bytes?: ByteBreakdown }[],
): ByteBreakdown | undefined {
  const total = new ByteTally();
  for (const connection of connections) {
    if (!connection.bytes) return undefined;
    total.add(connection.bytes);
  }
  return total;
}

/** A plain-data copy, for results (no class instances in JSON). */
export function breakdownData(breakdown: ByteBreakdown): ByteBreakdown {
  const copy = (parts: ByteParts): ByteParts => ({
    body: parts.body,
    framing: parts.framing,
    headers: parts.headers,
    control: parts.control,
  });
  return { written: copy(breakdown.written), read: copy(breakdown.read) };
}
