/**
 * Bytes per call by part, as the transport drivers counted them on the socket: the
 * message body, the framing around it (gRPC's 5-byte prefix, HTTP/2 frame headers,
 * chunk markers), the headers as sent (HTTP/1.1 text, HPACK) and the connection's own
 * control frames. This is where "protobuf is smaller" meets what the wire really carries.
 */
import type { ByteParts } from '../bench/drivers/byte-breakdown.js';
import { formatNumber } from './format.js';
import { requestsOnWire, type ScenarioView } from './report-model.js';

export const byteParts = [
  'body',
  'framing',
  'headers',
  'control',
] as const satisfies readonly (keyof ByteParts)[];

export interface ByteRow {
  readonly variant: string;
  /** Per call, by part, then the total; undefined when the driver could not split its bytes. */
  readonly request: readonly string[] | undefined;
  readonly response: readonly string[] | undefined;
}

function perCall(parts: readonly ByteParts[], calls: number): string[] {
  const sums = byteParts.map((part) => parts.reduce((sum, p) => sum + p[part], 0) / calls);
  return [...sums, sums.reduce((a, b) => a + b, 0)].map((value) => formatNumber(value));
}

export function byteRows(view: ScenarioView): ByteRow[] {
  return view.rows.map((row) => {
    const reps = row.result.repetitions.filter((r) => r.bytes.breakdown && requestsOnWire(r.counts) > 0);
    const calls = reps.reduce((sum, r) => sum + requestsOnWire(r.counts), 0);
    if (reps.length === 0 || calls === 0)
      return { variant: row.variant, request: undefined, response: undefined };
    return {
      variant: row.variant,
      request: perCall(
        reps.map((r) => r.bytes.breakdown!.written),
        calls,
      ),
      response: perCall(
        reps.map((r) => r.bytes.breakdown!.read),
        calls,
      ),
    };
  });
}

export function hasByteRows(view: ScenarioView): boolean {
  return byteRows(view).some((row) => row.request !== undefined);
}

export const byteTableHowToRead =
  'Bytes per call counted on the driver’s sockets over the measured window, split as sent and received: body is the encoded message; framing is what wraps it (gRPC’s 5-byte prefix, HTTP/2 frame headers, HTTP/1.1 chunk markers); headers are the start line and headers as they crossed the wire (HTTP/1.1 text, HPACK-compressed on HTTP/2); control is connection traffic (SETTINGS, WINDOW_UPDATE, PING) shared over the calls. The parts add up to the socket totals exactly; a test checks those against a packet capture.';
