/**
 * The winner map: for each sweep shape and tuning, message size (rows) × network (columns), the
 * variant with the lowest p50 and how the statistics judge it against the runner-up: a winner
 * only when the paired interval says so, otherwise "equivalent" or "undecided".
 */
import { comparePaired } from '../../bench/stats/verdict.js';
import { formatBytes, formatNumber } from '../format.js';
import { networkOrder, type SizePoint, type Sweep, type SweepNetwork } from './sweeps.js';

export interface WinnerCell {
  readonly text: string;
  /** The winner, when the statistics name one. */
  readonly winner?: string;
}

export interface WinnerMap {
  readonly title: string;
  readonly networks: readonly string[];
  readonly rows: readonly { readonly size: string; readonly cells: readonly (WinnerCell | undefined)[] }[];
}

export function winnerAt(point: SizePoint): WinnerCell {
  const ranked = [...point.variants].sort((a, b) => a.p50UsMedian - b.p50UsMedian);
  const [best, next] = ranked;
  if (!best) return { text: '–' };
  if (!next) return { text: `${best.variant} (alone)` };
  const { verdict } = comparePaired(best.p50Us, next.p50Us, {
    better: 'lower',
    a: best.variant,
    b: next.variant,
  });
  if (verdict.kind === 'faster' && verdict.winner === 'a')
    return {
      text: `${best.variant}, ${formatNumber(verdict.percent, 2)}% ahead of ${next.variant}`,
      winner: best.variant,
    };
  if (verdict.kind === 'equivalent')
    return { text: `${best.variant} ≈ ${next.variant} (within ${verdict.percent}%)` };
  return { text: `undecided: ${best.variant} or ${next.variant}` };
}

const label = (n: SweepNetwork) => n.name;

/** One map per sweep shape and tuning that spans two sizes or two networks. */
export function winnerMaps(sweeps: readonly Sweep[]): WinnerMap[] {
  const groups = new Map<string, Sweep[]>();
  for (const sweep of sweeps) {
    const key = `${sweep.shape} | ${sweep.tuning}`;
    groups.set(key, [...(groups.get(key) ?? []), sweep]);
  }
  const maps: WinnerMap[] = [];
  for (const group of groups.values()) {
    const ordered = [...group].sort((a, b) => networkOrder(a.network, b.network));
    const sizes: number[] = [];
    for (const point of ordered.flatMap((s) => s.points))
      if (!sizes.some((s) => Math.abs(Math.log(s / point.sizeBytes)) < 0.2)) sizes.push(point.sizeBytes);
    sizes.sort((a, b) => a - b);
    if (sizes.length < 2 && ordered.length < 2) continue;
    const first = ordered[0]!;
    maps.push({
      title: `${first.rpc}, ${first.family}, ${first.load}, ${first.tuning} windows: lowest p50`,
      networks: ordered.map((s) => label(s.network)),
      rows: sizes.map((size) => ({
        size: formatBytes(size),
        cells: ordered.map((sweep) => {
          const point = sweep.points.find((p) => Math.abs(Math.log(p.sizeBytes / size)) < 0.2);
          return point ? winnerAt(point) : undefined;
        }),
      })),
    });
  }
  return maps;
}
