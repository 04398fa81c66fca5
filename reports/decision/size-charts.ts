/**
 * The decision's charts: p50 and throughput against message size (log x), one line per variant,
 * one panel per network and tuning, with each headline pair's crossover marked where the
 * winner changes (crossovers.ts). Only sweeps of two sizes or more have a line to draw.
 */
import type { Results } from '../../bench/results/results-types.js';
import type { ChartDataset, ChartSpec } from '../chart-specs.js';
import { formatBytes, formatLatency, formatNumber, slug } from '../format.js';
import { crossoversOf, type DecisionFigure, figureLabels } from './crossovers.js';
import { type Sweep, sweepsOf } from './sweeps.js';

/** Decision charts belong to no scenario: the reports place them in the decision section. */
export const decisionChartScenario = '';

type Styles = ReadonlyMap<string, { color: string; dash: number[]; pointStyle: string }>;

const kib = (bytes: number) => bytes / 1024;

function figureValue(figure: DecisionFigure, point: { rpsMedian: number; p50UsMedian: number }): number {
  return figure === 'rps' ? point.rpsMedian : point.p50UsMedian / 1000;
}

/** A variant's figure at `size`, on the straight line between its two measured neighbours (log–log). */
function interpolated(
  sweep: Sweep,
  variant: string,
  figure: DecisionFigure,
  size: number,
): number | undefined {
  const line = sweep.points.flatMap((p) => {
    const v = p.variants.find((x) => x.variant === variant);
    return v ? [{ x: Math.log(p.sizeBytes), y: Math.log(figureValue(figure, v)) }] : [];
  });
  const at = Math.log(size);
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1]!, line[i]!];
    if (at >= a.x && at <= b.x) return Math.exp(a.y + ((at - a.x) / (b.x - a.x || 1)) * (b.y - a.y));
  }
  return undefined;
}

function sweepChart(sweep: Sweep, figure: DecisionFigure, styles: Styles): ChartSpec {
  const variants = [...new Set(sweep.points.flatMap((p) => p.variants.map((v) => v.variant)))];
  const lines: ChartDataset[] = variants.map((variant) => {
    const style = styles.get(variant) ?? { color: '#000000', dash: [6, 2], pointStyle: 'cross' };
    return {
      label: variant,
      color: style.color,
      dash: style.dash,
      pointStyle: style.pointStyle,
      pointRadius: 4,
      data: sweep.points.flatMap((p) => {
        const v = p.variants.find((x) => x.variant === variant);
        return v ? [{ x: kib(p.sizeBytes), y: figureValue(figure, v) }] : [];
      }),
    };
  });
  const crossovers = crossoversOf([sweep], [figure]).flatMap((c) =>
    c.changes.flatMap((change) => {
      const y = interpolated(sweep, c.a, figure, change.sizeBytes);
      return y === undefined
        ? []
        : [{ x: kib(change.sizeBytes), y, text: `${c.a}/${c.b} ≈ ${formatBytes(change.sizeBytes)}` }];
    }),
  );
  const marks: ChartDataset[] =
    crossovers.length === 0
      ? []
      : [
          {
            label: 'crossover',
            color: '#000000',
            pointStyle: 'crossRot',
            pointRadius: 9,
            showLine: false,
            data: crossovers.map(({ x, y }) => ({ x, y })),
          },
        ];
  const network = sweep.network.loopback
    ? sweep.network.name
    : `${sweep.network.name} (${formatNumber(sweep.network.rttMs)} ms)`;
  const label = figureLabels[figure];
  const described = sweep.points
    .map(
      (p) =>
        `${formatBytes(p.sizeBytes)}: ${p.variants
          .map(
            (v) =>
              `${v.variant} ${figure === 'rps' ? `${formatNumber(v.rpsMedian)} req/s` : formatLatency(v.p50UsMedian)}`,
          )
          .join(', ')}`,
    )
    .join('; ');
  return {
    id: `decision-${slug(`${sweep.rpc}-${sweep.network.name}-${sweep.tuning}-${sweep.id}`)}-${figure}`,
    scenario: decisionChartScenario,
    kind: 'line',
    title: `${sweep.rpc} on ${network}, ${sweep.tuning} windows: ${label} by message size`,
    xTitle: 'message size (KiB per call, log scale)',
    yTitle: figure === 'rps' ? 'requests per second (log scale)' : 'p50 latency, ms (log scale)',
    xScale: 'log',
    yScale: 'log',
    legend: true,
    datasets: [...lines, ...marks],
    alt: `${label} against message size on ${network} with ${sweep.tuning} windows (${sweep.load}). ${described}.${crossovers.length > 0 ? ` Crossovers: ${crossovers.map((c) => c.text).join(', ')}.` : ' No winner changes between the sizes measured.'}`,
    howToRead: `One line per variant through the sizes measured (median over repetitions); ${figure === 'rps' ? 'higher' : 'lower'} is better. Both axes are logarithmic. A cross marks where a headline pair's winner changes, interpolated between the two sizes around it (the crossover table gives its 95% range).`,
  };
}

/** Every decision chart of a results document: two per sweep of two sizes or more. */
export function sizeCharts(results: Results, styles: Styles): ChartSpec[] {
  return sweepsOf(results)
    .filter((sweep) => sweep.points.length >= 2)
    .flatMap((sweep) => [sweepChart(sweep, 'p50', styles), sweepChart(sweep, 'rps', styles)]);
}
