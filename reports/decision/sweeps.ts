/**
 * Message-size sweeps found in a results document: scenarios that differ only in the size of
 * what they send (same RPC, driver family, network, tuning, load and connections), ordered by
 * size. Nothing here knows the suite: today's payloads (command, short3s, long30s, long) and a
 * later `sizes:` list both give scenarios whose request bytes the results record.
 */
import type { Results, ScenarioResult } from '../../bench/results/results-types.js';
import { quantile } from '../../bench/stats/quantile.js';
import { perCall } from '../report-model.js';

/** Loopback has no emulated path: for distances it counts as this round trip and rate. */
export const loopbackPath = { rttMs: 0.05, downMbps: 10_000, upMbps: 10_000 } as const;

export interface SweepNetwork {
  readonly name: string;
  readonly rttMs: number;
  readonly downMbps: number;
  readonly upMbps: number;
  /** True for loopback: `rttMs` and the rates are stand-ins, not an emulated path. */
  readonly loopback: boolean;
}

/** One variant at one size: what a sweep's comparisons and `advise` read. */
export interface VariantPoint {
  readonly variant: string;
  readonly scenario: string;
  /** Per repetition, in repetition order (pairs across variants of one scenario). */
  readonly rps: readonly number[];
  readonly p50Us: readonly number[];
  readonly rpsMedian: number;
  readonly p50UsMedian: number;
  /** Bytes written and read on the wire per call (headers and framing included), medians over repetitions. */
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly connections: number;
}

export interface SizePoint {
  readonly scenario: string;
  /** The message size of the scenario (messageSize below). */
  readonly sizeBytes: number;
  readonly variants: readonly VariantPoint[];
}

export interface Sweep {
  /** Stable id, also used in HTML anchors. */
  readonly id: string;
  readonly rpc: string;
  readonly family: string;
  readonly network: SweepNetwork;
  readonly tuning: 'default' | 'tuned';
  /** Load model and connections, in words. */
  readonly load: string;
  /** The same sweep on another network or tuning has the same `shape`. */
  readonly shape: string;
  /** Ordered by size, one point per distinct size. */
  readonly points: readonly SizePoint[];
}

const median = (values: readonly number[]): number => quantile(values, 0.5);

export function networkOf(result: ScenarioResult): SweepNetwork {
  const path = result.network?.path;
  if (!path) return { name: result.network?.name ?? 'loopback', ...loopbackPath, loopback: true };
  return {
    name: result.network!.name,
    rttMs: path.rttMs,
    downMbps: path.downMbps,
    upMbps: path.upMbps,
    loopback: false,
  };
}

function networkKey(network: SweepNetwork): string {
  return network.loopback
    ? network.name
    : `${network.name} ${network.rttMs}/${network.downMbps}/${network.upMbps}`;
}

function loadOf(result: ScenarioResult): string {
  const load = result.loadModel.model === 'open' ? `open loop ${result.loadModel.rate} req/s` : 'closed loop';
  const { connections, inFlightPerConnection } = result.connectionPolicy;
  return `${load}, ${connections} connection${connections === 1 ? '' : 's'} × ${inFlightPerConnection} in flight`;
}

/** Scenarios a size sweep can hold: unary calls that answered, without faults. */
function sweepable(result: ScenarioResult): boolean {
  return (
    result.rpc !== 'streaming-transcribe' &&
    result.repetitions.length > 0 &&
    result.repetitions.every((r) => r.faults === undefined) &&
    result.counts.ok > 0
  );
}

/**
 * The message size of a scenario: the request bytes per call of its steadiest variant, the one
 * whose repetitions agree best (the smallest of them on a tie). A window that ends with a large
 * upload half sent counts that call's bytes but not the call, so a variant with few calls per
 * window wobbles; HTTP/1.1 with a binary body sends the same bytes every call. Encodings differ
 * (base64 JSON is a third larger), so the size is one variant's, named in the report as bytes per call.
 */
export function messageSize(results: readonly ScenarioResult[]): number {
  const candidates = results
    .map((result) => {
      const values = perCall(result, 'written');
      const centre = median(values);
      const spread = values.length < 2 ? 0 : (Math.max(...values) - Math.min(...values)) / centre;
      return { centre, spread };
    })
    .filter((c) => Number.isFinite(c.centre) && c.centre > 0)
    .sort((a, b) => a.spread - b.spread || a.centre - b.centre);
  return candidates[0]?.centre ?? Number.NaN;
}

function pointOf(scenario: string, results: readonly ScenarioResult[]): SizePoint {
  const variants = results.map(
    (result): VariantPoint => ({
      variant: result.variant,
      scenario,
      rps: result.repetitions.map((r) => r.rps),
      p50Us: result.repetitions.map((r) => r.latencyUs.p50),
      rpsMedian: result.estimates.rps.median,
      p50UsMedian: result.estimates.p50Us.median,
      requestBytes: median(perCall(result, 'written')),
      responseBytes: median(perCall(result, 'read')),
      connections: result.connectionPolicy.connections,
    }),
  );
  return { scenario, sizeBytes: messageSize(results), variants };
}

/** Every sweep of a results document (a sweep of one size is still listed: it says so). */
export function sweepsOf(results: Results): Sweep[] {
  const byScenario = new Map<string, ScenarioResult[]>();
  for (const result of results.scenarios.filter(sweepable)) {
    const list = byScenario.get(result.scenario) ?? [];
    list.push(result);
    byScenario.set(result.scenario, list);
  }
  const sweeps = new Map<string, { sweep: Omit<Sweep, 'points'>; points: SizePoint[] }>();
  for (const [scenario, list] of byScenario) {
    const first = list[0]!;
    const network = networkOf(first);
    const tuning = first.tuning?.name ?? 'default';
    const load = loadOf(first);
    const shape = [first.rpc, first.family, load, first.tls ? 'tls' : 'plain', first.workers ?? 1].join(
      ' | ',
    );
    const key = `${shape} | ${networkKey(network)} | ${tuning}`;
    const point = pointOf(scenario, list);
    if (!Number.isFinite(point.sizeBytes)) continue;
    const entry = sweeps.get(key) ?? {
      sweep: {
        id: `sweep-${sweeps.size + 1}`,
        rpc: first.rpc,
        family: first.family,
        network,
        tuning,
        load,
        shape,
      },
      points: [],
    };
    // Two scenarios of the same size in one sweep: the first one stands for it.
    if (!entry.points.some((p) => Math.abs(Math.log(p.sizeBytes / point.sizeBytes)) < 0.05))
      entry.points.push(point);
    sweeps.set(key, entry);
  }
  return [...sweeps.values()].map(({ sweep, points }) => ({
    ...sweep,
    points: points.sort((x, y) => x.sizeBytes - y.sizeBytes),
  }));
}

/** Network names in the order a reader expects (named profiles by round trip, then custom). */
export function networkOrder(a: SweepNetwork, b: SweepNetwork): number {
  return a.rttMs - b.rttMs || a.name.localeCompare(b.name);
}
