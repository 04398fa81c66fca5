/**
 * `advise`: which variant to use for one workload (audio length, round trip, bandwidth, rate),
 * read off the closest measured points of size sweeps (sweeps.ts): the network nearest the
 * question, p50 and bytes per call interpolated on log size between the two sizes around it,
 * the settings the measurements say to change, and how sure the answer is. Pure: the command
 * (cli/advise.ts) finds or makes the results.
 */
import type { Results } from '../../bench/results/results-types.js';
import { comparePaired, type VerdictKind, verdictOf } from '../../bench/stats/verdict.js';
import { formatBytes, formatNumber } from '../format.js';
import { type SizePoint, type Sweep, type SweepNetwork, sweepsOf, type VariantPoint } from './sweeps.js';
import { unpairedRatio } from './unpaired-ratio.js';

/** 16 kHz, 16-bit mono: the corpus's audio. */
export const audioBytesPerSecond = 32_000;

export interface AdviseQuestion {
  readonly audioSeconds: number;
  readonly rttMs: number;
  readonly bandwidthMbps: number;
  /** Calls a second the service must take, when given. */
  readonly rate?: number;
}

export interface Distance {
  /** How many times larger or smaller the measured point is than the question (1 = the same). */
  readonly size: number;
  readonly rtt: number;
  readonly bandwidth: number;
}

export interface NearestPoint {
  readonly scenario: string;
  readonly network: string;
  readonly tuning: 'default' | 'tuned';
  readonly sizeBytes: number;
  readonly rttMs: number;
  readonly bandwidthMbps: number;
  readonly p50Ms: number;
  readonly distance: Distance;
}

export type Confidence = 'high' | 'medium' | 'low';

export interface Advice {
  readonly question: AdviseQuestion & { readonly sizeBytes: number };
  readonly variant: string;
  readonly tuning: 'default' | 'tuned';
  readonly expected: {
    readonly p50Ms: number;
    readonly bytesPerCall: number;
    readonly requestBytes: number;
    readonly responseBytes: number;
  };
  /** The next best variant and how the statistics judge the difference at the nearest size. */
  readonly runnerUp?: {
    readonly variant: string;
    readonly p50Ms: number;
    readonly kind: VerdictKind;
    readonly verdict: string;
  };
  readonly settings: readonly string[];
  readonly nearest: readonly NearestPoint[];
  readonly confidence: Confidence;
  readonly reasons: readonly string[];
}

export class AdviseError extends Error {}

const factor = (a: number, b: number) => Math.max(a / b, b / a);

/** How far a measured network is from the question: round trip and upload rate, as log distances. */
function networkDistance(network: SweepNetwork, question: AdviseQuestion): number {
  return (
    Math.abs(Math.log(network.rttMs / question.rttMs)) +
    Math.abs(Math.log(network.upMbps / question.bandwidthMbps))
  );
}

interface Estimate {
  readonly variant: string;
  readonly sweep: Sweep;
  readonly p50Ms: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly used: readonly SizePoint[];
  readonly extrapolated: boolean;
}

/** A variant's p50 and bytes at `size` from the sweep's points around it (log–log), or the nearest end. */
function estimateAt(sweep: Sweep, variant: string, size: number): Estimate | undefined {
  const points = sweep.points.filter((p) =>
    p.variants.some((v) => v.variant === variant && v.p50UsMedian > 0),
  );
  if (points.length === 0) return undefined;
  const of = (p: SizePoint) => p.variants.find((v) => v.variant === variant)!;
  const lerp = (p: SizePoint, q: SizePoint, pick: (v: VariantPoint) => number) => {
    const t = (Math.log(size) - Math.log(p.sizeBytes)) / (Math.log(q.sizeBytes) - Math.log(p.sizeBytes));
    return Math.exp(Math.log(pick(of(p))) + t * (Math.log(pick(of(q))) - Math.log(pick(of(p)))));
  };
  const same = points.find((p) => factor(p.sizeBytes, size) <= 1.02);
  for (let i = 1; i < points.length && !same; i++) {
    const [p, q] = [points[i - 1]!, points[i]!];
    if (size >= p.sizeBytes && size <= q.sizeBytes) {
      return {
        variant,
        sweep,
        p50Ms: lerp(p, q, (v) => v.p50UsMedian) / 1000,
        requestBytes: lerp(p, q, (v) => v.requestBytes),
        responseBytes: lerp(p, q, (v) => v.responseBytes),
        used: [p, q],
        extrapolated: false,
      };
    }
  }
  // Outside the sizes measured: the nearest one's latency as it is (no trend is assumed), its
  // request bytes scaled with the message.
  const nearest = [...points].sort((a, b) => factor(a.sizeBytes, size) - factor(b.sizeBytes, size))[0]!;
  const v = of(nearest);
  return {
    variant,
    sweep,
    p50Ms: v.p50UsMedian / 1000,
    requestBytes: (v.requestBytes * size) / nearest.sizeBytes,
    responseBytes: v.responseBytes,
    used: [nearest],
    extrapolated: factor(nearest.sizeBytes, size) > 1.2,
  };
}

function settingsFor(
  results: readonly Results[],
  best: Estimate,
  sweeps: readonly Sweep[],
  tuningVerdict: string | undefined,
): string[] {
  const settings: string[] = [];
  const recorded =
    results.flatMap((r) => r.scenarios).find((s) => s.tuning?.name === best.sweep.tuning)?.tuning?.settings ??
    [];
  const mine = recorded.filter(
    (s) =>
      s.where.includes(`(${best.variant})`) || (best.variant === 'grpc' && s.where.startsWith('grpc-js')),
  );
  const otherTuning = sweeps.some(
    (s) =>
      s.tuning !== best.sweep.tuning &&
      s.shape === best.sweep.shape &&
      s.network.name === best.sweep.network.name &&
      s.network.rttMs === best.sweep.network.rttMs,
  );
  if (best.sweep.tuning === 'tuned') {
    for (const s of mine)
      settings.push(
        s.value === null
          ? `${s.where}: ${s.setting} cannot be raised (${s.note ?? 'no supported way'})`
          : `${s.where}: set ${s.setting} to ${formatNumber(s.value, 6)}`,
      );
    if (tuningVerdict) settings.push(`raise the HTTP/2 windows as measured: ${tuningVerdict}`);
    if (mine.length === 0)
      settings.push(
        `use the tuned profile's settings (serve --tuning tuned): ${best.variant} was measured fastest with them`,
      );
  } else {
    settings.push(
      otherTuning
        ? `keep ${best.variant}'s default settings: raised HTTP/2 windows (tuned) were measured and did not do better here${tuningVerdict ? ` (${tuningVerdict})` : ''}`
        : 'only default settings were measured: run with --tuning both to see whether raised HTTP/2 windows help',
    );
    for (const s of mine.filter((s) => s.value === null))
      settings.push(`${s.where}: ${s.setting} ${s.note ?? 'cannot be set'}`);
  }
  return settings;
}

/**
 * Tuned settings are advised only where they measurably help this variant: when the tuned
 * estimate is not faster than the default one by the statistics (an unpaired interval at the
 * measured size nearest the question), the default stands.
 */
function settleTuning(
  best: Estimate,
  estimates: readonly Estimate[],
  size: number,
): { best: Estimate; tuningVerdict?: string } {
  const other = estimates.find((e) => e.variant === best.variant && e.sweep.tuning !== best.sweep.tuning);
  if (!other) return { best };
  const [tuned, untuned] = best.sweep.tuning === 'tuned' ? [best, other] : [other, best];
  const nearestOf = (e: Estimate) =>
    [...e.used]
      .sort((a, b) => factor(a.sizeBytes, size) - factor(b.sizeBytes, size))[0]!
      .variants.find((v) => v.variant === e.variant)!;
  const ratio = unpairedRatio(nearestOf(tuned).p50Us, nearestOf(untuned).p50Us);
  const verdict = verdictOf(ratio, { better: 'lower', a: 'tuned', b: 'default' });
  const tuningVerdict = `tuned ÷ default p50 of ${best.variant}: ${verdict.text}`;
  return { best: verdict.kind === 'faster' && verdict.winner === 'a' ? tuned : untuned, tuningVerdict };
}

/** The advice for one workload from the size sweeps of one or more results documents. */
export function advise(results: readonly Results[], question: AdviseQuestion): Advice {
  const sizeBytes = question.audioSeconds * audioBytesPerSecond;
  const sweeps = results
    .flatMap(sweepsOf)
    .filter((s) => s.rpc === 'transcribe' || s.rpc === 'transcribe-and-classify')
    .sort((a, b) => Number(a.rpc !== 'transcribe') - Number(b.rpc !== 'transcribe'));
  if (sweeps.length === 0)
    throw new AdviseError(
      'the results hold no completed transcribe scenario: nothing to read an upload from',
    );
  const closest = Math.min(...sweeps.map((s) => networkDistance(s.network, question)));
  const network = sweeps.find((s) => networkDistance(s.network, question) === closest)!.network;
  const candidates = sweeps
    .filter(
      (s) => s.network === network || (s.network.name === network.name && s.network.rttMs === network.rttMs),
    )
    .filter((s) => s.rpc === sweeps[0]!.rpc);
  const estimates = candidates.flatMap((sweep) => {
    const variants = [...new Set(sweep.points.flatMap((p) => p.variants.map((v) => v.variant)))];
    return variants.map((v) => estimateAt(sweep, v, sizeBytes)).filter((e): e is Estimate => e !== undefined);
  });
  const ranked = [...estimates].sort((a, b) => a.p50Ms - b.p50Ms);
  const { best, tuningVerdict } = settleTuning(ranked[0]!, estimates, sizeBytes);
  const second = ranked.find((e) => e.variant !== best.variant && e.sweep === best.sweep);
  // The runner-up, judged at the measured size nearest the question, pair by pair.
  const point = [...best.used].sort(
    (a, b) => factor(a.sizeBytes, sizeBytes) - factor(b.sizeBytes, sizeBytes),
  )[0]!;
  let runnerUp: Advice['runnerUp'];
  if (second) {
    const a = point.variants.find((v) => v.variant === best.variant);
    const b = point.variants.find((v) => v.variant === second.variant);
    if (a && b) {
      const { verdict } = comparePaired(a.p50Us, b.p50Us, {
        better: 'lower',
        a: best.variant,
        b: second.variant,
      });
      runnerUp = { variant: second.variant, p50Ms: second.p50Ms, kind: verdict.kind, verdict: verdict.text };
    }
  }
  const nearest = best.used.map((p): NearestPoint => {
    const v = p.variants.find((x) => x.variant === best.variant)!;
    return {
      scenario: p.scenario,
      network: network.name,
      tuning: best.sweep.tuning,
      sizeBytes: p.sizeBytes,
      rttMs: network.rttMs,
      bandwidthMbps: network.upMbps,
      p50Ms: v.p50UsMedian / 1000,
      distance: {
        size: factor(p.sizeBytes, sizeBytes),
        rtt: factor(network.rttMs, question.rttMs),
        bandwidth: factor(network.upMbps, question.bandwidthMbps),
      },
    };
  });
  const reasons: string[] = [];
  const far = Math.max(nearest[0]!.distance.rtt, nearest[0]!.distance.bandwidth);
  if (far > 1.5)
    reasons.push(
      `the nearest network measured, ${network.loopback ? network.name : `${network.name} (${formatNumber(network.rttMs)} ms, ${formatNumber(network.upMbps)} Mbit/s up)`}, is ${formatNumber(far, 2)}× away from the question's round trip or bandwidth`,
    );
  if (best.extrapolated)
    reasons.push(
      `${formatBytes(sizeBytes)} is outside the sizes measured (nearest ${formatBytes(point.sizeBytes)}): the figure is that size's, not a trend`,
    );
  if (!runnerUp) reasons.push('no other variant was measured there to compare with');
  else if (runnerUp.kind === 'equivalent')
    reasons.push(
      `${best.variant} and ${runnerUp.variant} are equivalent there (${runnerUp.verdict}): either will do`,
    );
  else if (runnerUp.kind === 'undecided')
    reasons.push(`${best.variant} against ${runnerUp.variant} is undecided there (${runnerUp.verdict})`);
  if (question.rate !== undefined) {
    const megabits = (question.rate * (best.requestBytes + best.responseBytes) * 8) / 1e6;
    if (megabits > question.bandwidthMbps)
      reasons.push(
        `${formatNumber(question.rate)} calls/s of ${formatBytes(best.requestBytes)} need ${formatNumber(megabits)} Mbit/s, more than the ${formatNumber(question.bandwidthMbps)} Mbit/s link: the latency above assumes one call at a time and cannot hold at that rate`,
      );
  }
  const decided = runnerUp?.kind === 'faster';
  const confidence: Confidence =
    reasons.length === 0 && decided
      ? 'high'
      : far <= 3 && !best.extrapolated && runnerUp?.kind !== 'undecided'
        ? 'medium'
        : 'low';
  if (confidence === 'high') reasons.push(`measured within 1.5× of the question, and ${runnerUp!.verdict}`);
  return {
    question: { ...question, sizeBytes },
    variant: best.variant,
    tuning: best.sweep.tuning,
    expected: {
      p50Ms: best.p50Ms,
      bytesPerCall: best.requestBytes + best.responseBytes,
      requestBytes: best.requestBytes,
      responseBytes: best.responseBytes,
    },
    ...(runnerUp ? { runnerUp } : {}),
    settings: settingsFor(results, best, candidates, tuningVerdict),
    nearest,
    confidence,
    reasons,
  };
}

/** The advice in a few lines, for a terminal. */
export function describeAdvice(advice: Advice): string[] {
  const q = advice.question;
  return [
    `For ${formatNumber(q.audioSeconds)} s of audio (${formatBytes(q.sizeBytes)}) over ${formatNumber(q.rttMs)} ms and ${formatNumber(q.bandwidthMbps)} Mbit/s${q.rate === undefined ? '' : ` at ${formatNumber(q.rate)} calls/s`}:`,
    `  use ${advice.variant} (${advice.tuning} settings): expected p50 ${formatNumber(advice.expected.p50Ms)} ms, ${formatBytes(advice.expected.bytesPerCall)} on the wire per call`,
    ...(advice.runnerUp
      ? [
          `  next: ${advice.runnerUp.variant}, p50 ${formatNumber(advice.runnerUp.p50Ms)} ms (${advice.runnerUp.verdict})`,
        ]
      : []),
    '  settings:',
    ...advice.settings.map((s) => `    - ${s}`),
    '  from the measured points:',
    ...advice.nearest.map(
      (p) =>
        `    - ${p.scenario} on ${p.network} (${p.tuning}): ${formatBytes(p.sizeBytes)}, p50 ${formatNumber(p.p50Ms)} ms; size ×${formatNumber(p.distance.size, 2)}, round trip ×${formatNumber(p.distance.rtt, 2)}, bandwidth ×${formatNumber(p.distance.bandwidth, 2)} from the question`,
    ),
    `  confidence: ${advice.confidence}${advice.reasons.length > 0 ? `: ${advice.reasons.join('; ')}` : ''}`,
  ];
}
