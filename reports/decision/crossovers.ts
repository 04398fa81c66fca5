/**
 * Where the winner of a headline pair changes along a size sweep: the comparison at each size
 * (paired repetitions, bench/stats/verdict.ts), and between two sizes with opposite decided
 * winners the crossing of the log-ratio, interpolated on log size, bounded by where each end of
 * the 95% interval crosses 1. Without a change: "none between X and Y".
 */
import { comparePaired, type VerdictKind } from '../../bench/stats/verdict.js';
import { formatBytes } from '../format.js';
import type { SizePoint, Sweep, VariantPoint } from './sweeps.js';

/** The pairs issue 16 asks about, A first. */
export const headlinePairs: readonly (readonly [string, string])[] = [
  ['grpc', 'rest-json-h1'],
  ['grpc', 'rest-binary-h1'],
  ['rest-proto-h1', 'rest-json-h1'],
  ['grpc', 'grpc-connect'],
];

export type DecisionFigure = 'p50' | 'rps';

export const figureLabels: Record<DecisionFigure, string> = { p50: 'p50 latency', rps: 'throughput' };

export interface PairAtSize {
  readonly scenario: string;
  readonly sizeBytes: number;
  /** a ÷ b of the figure, and its 95% interval over pairs of repetitions. */
  readonly ratio: number;
  readonly interval?: { readonly low: number; readonly high: number };
  readonly kind: VerdictKind;
  /** The faster variant, when the verdict is `faster`. */
  readonly winner?: string;
  /** "grpc faster by 36% (a ÷ b …)", "no difference larger than 4% (…)", "undecided: …". */
  readonly verdict: string;
}

export interface WinnerChange {
  readonly from: string;
  readonly to: string;
  /** The measured sizes the change lies between. */
  readonly between: readonly [number, number];
  /** Where the centre of the log-ratio crosses 1, and where the interval's ends do. */
  readonly sizeBytes: number;
  readonly low: number;
  readonly high: number;
}

export interface Crossover {
  readonly sweep: Sweep;
  readonly a: string;
  readonly b: string;
  readonly figure: DecisionFigure;
  readonly atSizes: readonly PairAtSize[];
  readonly changes: readonly WinnerChange[];
  /** One line: the change(s), or "none between X and Y" and what held. */
  readonly text: string;
}

function valuesOf(point: VariantPoint, figure: DecisionFigure): readonly number[] {
  return figure === 'rps' ? point.rps : point.p50Us;
}

export function comparePoint(
  point: SizePoint,
  a: string,
  b: string,
  figure: DecisionFigure,
): PairAtSize | undefined {
  const pa = point.variants.find((v) => v.variant === a);
  const pb = point.variants.find((v) => v.variant === b);
  if (!pa || !pb) return undefined;
  const { ratio, interval, verdict } = comparePaired(valuesOf(pa, figure), valuesOf(pb, figure), {
    better: figure === 'rps' ? 'higher' : 'lower',
    a,
    b,
  });
  return {
    scenario: point.scenario,
    sizeBytes: point.sizeBytes,
    ratio,
    ...(interval ? { interval: { low: interval.low, high: interval.high } } : {}),
    kind: verdict.kind,
    ...(verdict.winner ? { winner: verdict.winner === 'a' ? a : b } : {}),
    verdict: verdict.text,
  };
}

/** A's advantage on the log scale: above 0 when A is better (faster). */
function advantage(ratio: number, figure: DecisionFigure): number {
  return figure === 'rps' ? Math.log(ratio) : -Math.log(ratio);
}

/** The log size where a straight line through (x1, y1), (x2, y2) on log size crosses 0. */
function crossing(x1: number, y1: number, x2: number, y2: number): number {
  const t = y1 === y2 ? 0.5 : Math.min(1, Math.max(0, y1 / (y1 - y2)));
  return Math.exp(Math.log(x1) + t * (Math.log(x2) - Math.log(x1)));
}

function changeBetween(first: PairAtSize, second: PairAtSize, figure: DecisionFigure): WinnerChange {
  const x1 = first.sizeBytes;
  const x2 = second.sizeBytes;
  // A's advantage at each end of the interval: at a decided size both ends share the centre's
  // sign, so each end's line crosses 0 between the two sizes too.
  const ends = (p: PairAtSize) => [advantage(p.interval!.low, figure), advantage(p.interval!.high, figure)];
  const [low1, high1] = ends(first) as [number, number];
  const [low2, high2] = ends(second) as [number, number];
  const centre = crossing(x1, advantage(first.ratio, figure), x2, advantage(second.ratio, figure));
  const one = crossing(x1, low1, x2, low2);
  const two = crossing(x1, high1, x2, high2);
  return {
    from: first.winner!,
    to: second.winner!,
    between: [x1, x2],
    sizeBytes: centre,
    low: Math.min(one, two, centre),
    high: Math.max(one, two, centre),
  };
}

function describeAt(p: PairAtSize): string {
  return p.kind === 'faster'
    ? `${p.winner} faster at ${formatBytes(p.sizeBytes)}`
    : `${p.kind} at ${formatBytes(p.sizeBytes)}`;
}

function describe(
  a: string,
  b: string,
  atSizes: readonly PairAtSize[],
  changes: readonly WinnerChange[],
): string {
  if (atSizes.length === 0) return `${a} and ${b} were not both measured`;
  const range = `${formatBytes(atSizes[0]!.sizeBytes)} and ${formatBytes(atSizes.at(-1)!.sizeBytes)}`;
  if (atSizes.length === 1)
    return `one size only (${formatBytes(atSizes[0]!.sizeBytes)}): ${atSizes[0]!.verdict}`;
  if (changes.length === 0) {
    const kinds = new Set(atSizes.map((p) => (p.kind === 'faster' ? `${p.winner} faster` : p.kind)));
    const held = kinds.size === 1 ? `${[...kinds][0]} at every size` : atSizes.map(describeAt).join(', ');
    return `none between ${range}: ${held}`;
  }
  return changes
    .map(
      (c) =>
        `${c.from} → ${c.to} at ≈ ${formatBytes(c.sizeBytes)} (95%: ${formatBytes(c.low)}–${formatBytes(c.high)}; measured ${formatBytes(c.between[0])} and ${formatBytes(c.between[1])})`,
    )
    .join('; ');
}

/** The crossover of one pair along one sweep. */
export function crossoverOf(sweep: Sweep, a: string, b: string, figure: DecisionFigure): Crossover {
  const atSizes = sweep.points
    .map((point) => comparePoint(point, a, b, figure))
    .filter((p): p is PairAtSize => p !== undefined);
  const decided = atSizes.filter((p) => p.kind === 'faster' && p.interval !== undefined);
  const changes: WinnerChange[] = [];
  for (let i = 1; i < decided.length; i++) {
    const first = decided[i - 1]!;
    const second = decided[i]!;
    if (first.winner !== second.winner) changes.push(changeBetween(first, second, figure));
  }
  return { sweep, a, b, figure, atSizes, changes, text: describe(a, b, atSizes, changes) };
}

/** Every headline pair measured in a sweep, for each figure. */
export function crossoversOf(
  sweeps: readonly Sweep[],
  figures: readonly DecisionFigure[] = ['p50', 'rps'],
): Crossover[] {
  return sweeps.flatMap((sweep) =>
    headlinePairs.flatMap(([a, b]) =>
      figures.map((figure) => crossoverOf(sweep, a, b, figure)).filter((c) => c.atSizes.length > 0),
    ),
  );
}
