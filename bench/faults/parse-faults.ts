import { parseDurationMs } from '../scenarios/duration.js';
import type { Direction, FaultSpec, ScheduledFault } from './fault-spec.js';

/** A fault as a suite file spells it (suite-schema.ts checks the shape first). */
export interface RawFault {
  readonly at: string | number;
  readonly until?: string | number;
  readonly type: FaultSpec['type'];
  readonly direction?: Direction;
  readonly latency?: string | number;
  readonly jitter?: string | number;
  readonly rate?: number;
  readonly averageSize?: number;
  readonly sizeVariation?: number;
  readonly delay?: string | number;
  readonly bytes?: number;
  readonly timeout?: string | number;
}

const ms = (value: string | number | undefined, fallback: number): number =>
  value === undefined ? fallback : parseDurationMs(value)!;

function specOf(raw: RawFault): FaultSpec {
  switch (raw.type) {
    case 'latency':
      return { type: 'latency', latencyMs: ms(raw.latency, 0), jitterMs: ms(raw.jitter, 0) };
    case 'bandwidth':
      return { type: 'bandwidth', rateKBps: raw.rate! };
    case 'slicer':
      return {
        type: 'slicer',
        averageSize: raw.averageSize ?? 64,
        sizeVariation: raw.sizeVariation ?? 0,
        delayMs: ms(raw.delay, 0),
      };
    case 'limit_data':
      return { type: 'limit_data', bytes: raw.bytes! };
    case 'timeout':
      return { type: 'timeout', timeoutMs: ms(raw.timeout, 0) };
    case 'reset_peer':
      return { type: 'reset_peer', timeoutMs: ms(raw.timeout, 0) };
    case 'slow_close':
      return { type: 'slow_close', delayMs: ms(raw.delay, 0) };
    case 'down':
      return { type: 'down' };
  }
}

/** Which settings each fault takes (anything else is an error), and which it needs. */
const allowed: Record<
  FaultSpec['type'],
  { readonly keys: readonly string[]; readonly needs: readonly string[] }
> = {
  latency: { keys: ['latency', 'jitter'], needs: ['latency'] },
  bandwidth: { keys: ['rate'], needs: ['rate'] },
  slicer: { keys: ['averageSize', 'sizeVariation', 'delay'], needs: ['averageSize'] },
  limit_data: { keys: ['bytes'], needs: ['bytes'] },
  timeout: { keys: ['timeout'], needs: [] },
  reset_peer: { keys: ['timeout'], needs: [] },
  slow_close: { keys: ['delay'], needs: ['delay'] },
  down: { keys: [], needs: [] },
};
const common = new Set(['at', 'until', 'type', 'direction']);

/** Every problem with a scenario's faults, beyond their shape (`where` names the scenario). */
export function faultProblems(where: string, faults: readonly RawFault[]): string[] {
  const problems: string[] = [];
  for (const [index, raw] of faults.entries()) {
    const at = `${where}: faults[${index}] (${raw.type})`;
    const { keys, needs } = allowed[raw.type];
    for (const key of Object.keys(raw)) {
      if (!common.has(key) && !keys.includes(key))
        problems.push(
          `${at}: "${key}" is not a setting of ${raw.type} (it takes ${keys.join(', ') || 'none'})`,
        );
    }
    for (const key of needs) if (!(key in raw)) problems.push(`${at}: needs "${key}"`);
    if (raw.type === 'down' && raw.direction !== undefined)
      problems.push(`${at}: down acts on the whole proxy and takes no direction`);
    const startMs = parseDurationMs(raw.at);
    const endMs = raw.until === undefined ? undefined : parseDurationMs(raw.until);
    if (startMs !== undefined && endMs !== undefined && endMs <= startMs)
      problems.push(`${at}: until (${raw.until}) must come after at (${raw.at})`);
    if (raw.type === 'latency' && raw.jitter !== undefined && raw.latency !== undefined) {
      if (parseDurationMs(raw.jitter)! > parseDurationMs(raw.latency)!)
        problems.push(`${at}: jitter must not exceed latency`);
    }
  }
  return problems;
}

/** Faults checked by `faultProblems`, in milliseconds. */
export function parseFaults(faults: readonly RawFault[]): ScheduledFault[] {
  return faults.map((raw) => ({
    atMs: parseDurationMs(raw.at)!,
    ...(raw.until === undefined ? {} : { untilMs: parseDurationMs(raw.until)! }),
    direction: raw.direction ?? 'downstream',
    fault: specOf(raw),
  }));
}
