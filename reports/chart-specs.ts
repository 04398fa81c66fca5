/**
 * The charts of a report as plain data (JSON-safe, no functions): the HTML report embeds them and
 * draws them in the browser, the PNG renderer draws the very same specs on a server-side canvas,
 * both through `chart-runtime.ts`. Colours, dashes and point styles follow the variant, so a
 * variant looks the same in every chart and stays distinguishable without colour.
 */
import type { Results, ScenarioResult } from '../bench/results/results-types.js';
import { LatencyHistogram } from '../bench/stats/latency-histogram.js';
import { sizeCharts } from './decision/size-charts.js';
import { formatBytes, formatLatency, formatNumber, slug } from './format.js';
import { type ReportModel, requestsOnWire, type ScenarioView } from './report-model.js';

/** Every chart's size in CSS pixels (the PNGs are drawn at twice that). */
export const chartWidth = 720;
export const chartHeight = 360;

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

export interface ChartDataset {
  readonly label: string;
  /** One colour, or one per bar. */
  readonly color: string | readonly string[];
  readonly dash?: readonly number[];
  readonly pointStyle?: string;
  /** Per point; 0 hides a point. */
  readonly pointRadius?: number | readonly number[];
  readonly data: readonly number[] | readonly ChartPoint[];
  /** Bars only: a 95% interval per bar, drawn as whiskers. */
  readonly errorBars?: readonly ({ readonly low: number; readonly high: number } | null)[];
  /** Bars only: the repetitions' values per bar, drawn as dots. */
  readonly points?: readonly (readonly number[])[];
  /** Lines only: false draws the points alone (markers such as crossovers). */
  readonly showLine?: boolean;
}

export interface ChartSpec {
  /** Unique in a report; also the PNG's file name without `.png`. */
  readonly id: string;
  readonly scenario: string;
  readonly kind: 'bar' | 'line';
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly xScale: 'category' | 'percentile' | 'linear' | 'log';
  /** Category labels (bars). */
  readonly labels?: readonly string[];
  /** Percentile axis: where the ticks go, as 1 / (1 − p). */
  readonly xTicks?: readonly number[];
  readonly xMax?: number;
  readonly yMax?: number;
  /** The y axis on a log scale (figures that span decades); linear from 0 when absent. */
  readonly yScale?: 'log';
  readonly legend: boolean;
  readonly datasets: readonly ChartDataset[];
  /** A text alternative with the numbers the chart shows. */
  readonly alt: string;
  /** The short "how to read this" note under the chart. */
  readonly howToRead: string;
}

/** Okabe–Ito colours, readable by the colour-blind; a variant keeps its colour across reports. */
const variantStyles: Record<string, { color: string; dash: number[]; pointStyle: string }> = {
  grpc: { color: '#0072B2', dash: [], pointStyle: 'circle' },
  'rest-json-h1': { color: '#D55E00', dash: [8, 4], pointStyle: 'rect' },
  'grpc-connect': { color: '#009E73', dash: [2, 3], pointStyle: 'triangle' },
  'rest-json-h2': { color: '#E69F00', dash: [10, 3, 2, 3], pointStyle: 'rectRot' },
  'rest-proto-h1': { color: '#CC79A7', dash: [4, 4], pointStyle: 'star' },
  'rest-binary-h1': { color: '#56B4E9', dash: [12, 6], pointStyle: 'crossRot' },
};
const fallbackColors = ['#000000', '#7F7F7F', '#8C564B', '#17BECF'];

export function variantStyle(
  variant: string,
  index: number,
): { color: string; dash: number[]; pointStyle: string } {
  return (
    variantStyles[variant] ?? {
      color: fallbackColors[index % fallbackColors.length]!,
      dash: [6, 2],
      pointStyle: 'cross',
    }
  );
}

const repetitionDashes: readonly (readonly number[])[] = [[], [6, 3], [2, 2], [10, 4, 2, 4], [1, 4]];

/** The ticks of an HDR-style percentile axis: 0%, 50%, 90%, 99%, 99.9%, … as 1 / (1 − p). */
const percentileTicks = [1, 2, 10, 100, 1000, 10_000, 100_000, 1_000_000];

function ms(us: number): number {
  return Math.round(us) / 1000;
}

/** The latency spectrum of one histogram: x = 1 / (1 − p), up to what its sample count supports. */
function spectrum(encoded: string): { points: ChartPoint[]; xMax: number } {
  const histogram = LatencyHistogram.decode(encoded);
  const max = histogram.percentiles().max;
  const xMax = Math.max(10, Math.min(1_000_000, histogram.count));
  const xs = new Set<number>([2, xMax]);
  for (let step = 0; 10 ** (step / 10) < xMax; step++) xs.add(10 ** (step / 10));
  const points = [...xs]
    .sort((a, b) => a - b)
    .map((x) => ({ x, y: ms(Math.min(histogram.percentileUs(100 * (1 - 1 / x)), max)) }));
  return { points, xMax };
}

function throughputChart(
  view: ScenarioView,
  styles: Map<string, ReturnType<typeof variantStyle>>,
): ChartSpec {
  const rows = view.rows;
  const highs = rows.flatMap((r) => [r.figures.rps.interval?.high ?? 0, ...r.figures.rps.values]);
  return {
    id: `${slug(view.name)}-throughput`,
    scenario: view.name,
    kind: 'bar',
    title: `${view.name}: throughput`,
    xTitle: 'variant',
    yTitle: 'requests per second',
    xScale: 'category',
    labels: rows.map((r) => r.variant),
    yMax: Math.max(...highs) * 1.08,
    legend: false,
    datasets: [
      {
        label: 'median req/s',
        color: rows.map((r) => styles.get(r.variant)!.color),
        data: rows.map((r) => r.figures.rps.median),
        errorBars: rows.map((r) => r.figures.rps.interval ?? null),
        points: rows.map((r) => r.figures.rps.values),
      },
    ],
    alt: `Throughput in ${view.name}: ${rows
      .map((r) => {
        const ci = r.figures.rps.interval;
        return `${r.variant} ${formatNumber(r.figures.rps.median)} req/s${ci ? ` (95% CI ${formatNumber(ci.low)} to ${formatNumber(ci.high)})` : ''}`;
      })
      .join('; ')}.`,
    howToRead: `Bars are the median over repetitions, whiskers its 95% confidence interval, dots the repetitions themselves. Higher is better. Whiskers that overlap mean the difference may be noise.${view.open ? ' Open loop: the rate is set by the schedule, so equal bars are expected; a shortfall means requests failed or were never sent.' : ''}`,
  };
}

function spectrumChart(
  view: ScenarioView,
  results: readonly ScenarioResult[],
  styles: Map<string, ReturnType<typeof variantStyle>>,
): ChartSpec {
  const datasets: ChartDataset[] = [];
  let xMax = 10;
  for (const result of results) {
    const style = styles.get(result.variant)!;
    const lines: { encoded: string; label: string; dash: readonly number[] }[] = [
      { encoded: result.histogram, label: result.variant, dash: [] },
    ];
    const uncorrected = LatencyHistogram.create();
    for (const r of result.repetitions) {
      if (r.histogramUncorrected) uncorrected.add(LatencyHistogram.decode(r.histogramUncorrected));
    }
    if (uncorrected.count > 0) {
      lines.push({ encoded: uncorrected.encode(), label: `${result.variant} (uncorrected)`, dash: [6, 4] });
    }
    for (const line of lines) {
      const { points, xMax: lineMax } = spectrum(line.encoded);
      xMax = Math.max(xMax, lineMax);
      datasets.push({
        label: line.label,
        color: style.color,
        dash: line.dash,
        pointStyle: style.pointStyle,
        pointRadius: points.map((p) => (percentileTicks.includes(p.x) ? 4 : 0)),
        data: points,
      });
    }
  }
  const summary = view.rows
    .map(
      (r) =>
        `${r.variant}: p50 ${formatLatency(r.result.latencyUs.p50)}, p99 ${formatLatency(r.result.latencyUs.p99)}, p99.9 ${formatLatency(r.result.latencyUs.p999)}, max ${formatLatency(r.result.latencyUs.max)}`,
    )
    .join('; ');
  return {
    id: `${slug(view.name)}-latency-spectrum`,
    scenario: view.name,
    kind: 'line',
    title: `${view.name}: latency by percentile (all repetitions)`,
    xTitle: 'percentile (log scale of 1 / (1 − p))',
    yTitle: 'latency (ms)',
    xScale: 'percentile',
    xTicks: percentileTicks.filter((t) => t <= xMax),
    xMax,
    legend: true,
    datasets,
    alt: `Latency percentiles in ${view.name}, merged over repetitions. ${summary}.`,
    howToRead: `Each line is one variant's latency at every percentile, from the median (50%) to the tail (99.9% and beyond) on a log scale, as HDR histogram plots draw it. Lower is better; a line that climbs early has a heavy tail.${view.open ? ' Solid lines count from the intended send time (corrected for coordinated omission); dashed ones from the actual send, which hides the time requests queued in the driver.' : ''}`,
  };
}

function timelineCharts(
  view: ScenarioView,
  results: readonly ScenarioResult[],
  styles: Map<string, ReturnType<typeof variantStyle>>,
): ChartSpec[] {
  const lines = results.flatMap((result) =>
    result.repetitions.map((r, i) => ({
      label: `${result.variant} · rep ${r.index + 1}`,
      style: styles.get(result.variant)!,
      dash: repetitionDashes[i % repetitionDashes.length]!,
      timeline: r.timeline,
    })),
  );
  const dataset = (
    line: (typeof lines)[number],
    y: (b: (typeof line.timeline)[number]) => number,
  ): ChartDataset => ({
    label: line.label,
    color: line.style.color,
    dash: line.dash,
    pointStyle: line.style.pointStyle,
    pointRadius: 2,
    data: line.timeline.map((b) => ({ x: b.second, y: y(b) })),
  });
  // Fault windows (bench/faults), as the first repetition had them: a grey bracket over each, in
  // seconds of the measured window (the schedule counts from the start of load, warm-up included).
  const windows = results[0]?.repetitions[0]?.faults?.windows ?? [];
  const warmupMs = results[0]?.warmupMs ?? 0;
  const faultMarks = (top: number): ChartDataset[] =>
    windows.map((w) => {
      const from = (w.startMs - warmupMs) / 1000;
      const to = ((w.endMs ?? w.startMs) - warmupMs) / 1000;
      return {
        label: `fault: ${w.type} ${w.type === 'down' ? '' : `${w.direction} `}${formatNumber(from)}–${formatNumber(to)} s`,
        color: '#7F7F7F',
        dash: [2, 2],
        pointRadius: 0,
        data: [
          { x: from, y: 0 },
          { x: from, y: top },
          { x: to, y: top },
          { x: to, y: 0 },
        ],
      };
    });
  const topOf = (y: (b: (typeof lines)[number]['timeline'][number]) => number) =>
    Math.max(1, ...lines.flatMap((l) => l.timeline.map(y)));
  const faultNote =
    windows.length > 0
      ? ` Grey dashed brackets mark when each fault was on (${windows.map((w) => w.type).join(', ')}).`
      : '';
  const worst = (pick: (b: (typeof lines)[number]['timeline'][number]) => number) =>
    lines
      .map(
        (l) =>
          `${l.label} ${l.timeline.length === 0 ? 'no data' : `from ${formatNumber(Math.min(...l.timeline.map(pick)))} to ${formatNumber(Math.max(...l.timeline.map(pick)))}`}`,
      )
      .join('; ');
  return [
    {
      id: `${slug(view.name)}-p99-over-time`,
      scenario: view.name,
      kind: 'line',
      title: `${view.name}: p99 latency per second`,
      xTitle: 'second of the measured window',
      yTitle: 'p99 latency (ms)',
      xScale: 'linear',
      legend: true,
      datasets: [
        ...lines.map((l) => dataset(l, (b) => ms(b.p99Us))),
        ...faultMarks(topOf((b) => ms(b.p99Us))),
      ],
      alt: `p99 latency per second in ${view.name}, in ms: ${worst((b) => ms(b.p99Us))}.${faultNote}`,
      howToRead: `One line per variant and repetition (colour: variant, dash: repetition). A flat line is a steady run; a spike marks a pause (GC, a slow neighbour, a freeze) in that second. Compare repetitions before trusting a single spike.${faultNote}`,
    },
    {
      id: `${slug(view.name)}-throughput-over-time`,
      scenario: view.name,
      kind: 'line',
      title: `${view.name}: answers per second`,
      xTitle: 'second of the measured window',
      yTitle: 'answers per second',
      xScale: 'linear',
      legend: true,
      datasets: [
        ...lines.map((l) => dataset(l, (b) => b.completed + b.failed)),
        ...faultMarks(topOf((b) => b.completed + b.failed)),
      ],
      alt: `Answers per second in ${view.name}: ${worst((b) => b.completed + b.failed)}.${faultNote}`,
      howToRead: `Answers (successful or failed) in each second of each repetition. A ramp at the start means the warm-up was too short; a dip that lines up with a p99 spike is a stall.${faultNote}`,
    },
  ];
}

function bytesChart(view: ScenarioView): ChartSpec {
  const rows = view.rows;
  const perCall = (result: ScenarioResult, side: 'written' | 'read') => {
    const requests = result.repetitions.reduce((sum, r) => sum + requestsOnWire(r.counts), 0);
    const bytes = result.repetitions.reduce((sum, r) => sum + r.bytes[side], 0);
    return requests > 0 ? bytes / requests : 0;
  };
  const request = rows.map((r) => perCall(r.result, 'written'));
  const response = rows.map((r) => perCall(r.result, 'read'));
  return {
    id: `${slug(view.name)}-bytes-per-call`,
    scenario: view.name,
    kind: 'bar',
    title: `${view.name}: bytes on the wire per call`,
    xTitle: 'variant',
    yTitle: 'bytes per call',
    xScale: 'category',
    labels: rows.map((r) => r.variant),
    legend: true,
    datasets: [
      { label: 'request (client → server)', color: '#3B3B3B', data: request },
      { label: 'response (server → client)', color: '#A6A6A6', data: response },
    ],
    alt: `Bytes per call in ${view.name}: ${rows
      .map(
        (r, i) => `${r.variant} request ${formatBytes(request[i]!)}, response ${formatBytes(response[i]!)}`,
      )
      .join('; ')}.`,
    howToRead:
      'Bytes the driver wrote and read on its connections, divided by the requests it sent: headers, framing and body together, connection set-up spread over the calls. Lower is cheaper on the network.',
  };
}

/** Every chart of a report, in the order they appear. */
export function chartSpecs(model: ReportModel): ChartSpec[] {
  const results: Results = model.results;
  const variants = [...new Set(results.scenarios.map((s) => s.variant as string))];
  const styles = new Map(variants.map((v, i) => [v, variantStyle(v, i)]));
  return model.scenarios
    .flatMap((view) => {
      const scenarioResults = results.scenarios.filter((s) => s.scenario === view.name);
      return [
        throughputChart(view, styles),
        spectrumChart(view, scenarioResults, styles),
        ...timelineCharts(view, scenarioResults, styles),
        bytesChart(view),
      ];
    })
    .concat(sizeCharts(results, styles));
}

/** Where a chart's PNG goes, relative to the report directory (and how report.md links it). */
export function chartPngPath(spec: ChartSpec): string {
  return `charts/${spec.id}.png`;
}
