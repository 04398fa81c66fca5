/**
 * The run-to-run spread compare's gate adds to each row (run-ratio.ts): the standard deviation of
 * log(current ÷ baseline) between two runs of the same commit, one after the other, beyond what
 * their repetitions show. Measured by `npm run bench:verdicts:gate` (bench/verdicts/gate-check.ts)
 * over 10 A/A pairs of quick-shaped runs on the project's 2-core VM on 2026-12-07, 16:19–16:44 UTC,
 * machine otherwise quiet, servers warmed and their young generation fixed: 18.5% (throughput),
 * 12.5% (p50), 35.7% (p99), pooled over every row, rounded up here (on the same machine busy with
 * other work it was 59/73/86%). Rows differ: classify over grpc moved by 15% from run to run, an
 * upload over grpc-js by ×3. A CI runner should measure its own and pass it
 * (`compare --run-spread throughput=…,p50=…,p99=…`). docs/verdicts.md has the figures.
 */
export const defaultFigureSpread = { throughput: 0.2, p50: 0.15, p99: 0.4 } as const;

export type FigureSpread = { readonly [K in keyof typeof defaultFigureSpread]: number };

/**
 * The same for a variant's change relative to the other variants of its scenario
 * (run-ratio.ts's relativeChange), measured by the same kind of A/A pairs of runs, pooled over
 * every row: 16.8% (throughput), 4.1% (p50), 43.3% (p99) on 2026-12-07, 22:02–22:30 UTC; 18.6%,
 * 7.6%, 40.2% on 2026-12-08, 00:13–00:40 UTC; 21.4%, 9.0%, 49.0% in the series before both
 * (servers warmed by three flat steps); rounded up from the largest. Pooled, they are the noisy
 * rows' (transcribe-3s over grpc swings ×2–3 from run to run against its neighbours); classify's
 * rows move about as much as their repetitions say.
 */
export const defaultRelativeSpread: FigureSpread = { throughput: 0.22, p50: 0.1, p99: 0.5 };

export const defaultRunSpread: RunSpread = { ...defaultFigureSpread, relative: defaultRelativeSpread };

/**
 * The spread per figure, for changes (`relative`: for changes against the scenario's other
 * variants; absent, the changes' own), and optionally per row (`rows`, keyed by compare's row key:
 * "scenario/variant" or "scenario/variant vs others"): rows differ (an upload over grpc-js swung
 * by ×3 between runs where classify moved by a few %), and one pooled value would hide the noisy
 * rows' alarms behind the quiet rows' lost power. `pairs`: how many A/A pairs of runs the row
 * spreads were estimated from (their degrees of freedom, run-ratio.ts).
 */
export type RunSpread = FigureSpread & {
  readonly relative?: FigureSpread;
  readonly rows?: Readonly<Record<string, FigureSpread>>;
  readonly pairs?: number;
};
