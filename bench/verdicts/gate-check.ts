/**
 * compare as a CI gate, checked on real runs (docs/verdicts.md): quick-shaped runs of one commit,
 * one after the other, alternating plain runs N and runs I whose grpc server burns CPU on every
 * call (a throughput loss in one variant): N0 I1 N1 I2 N2 … From them, the run-to-run spread
 * (A/A pairs Nᵢ₋₁, Nᵢ), how often compare would exit 4 on an unchanged build (the same pairs)
 * and how often it catches the loss (Nᵢ₋₁, Iᵢ). Each pair is judged with a run spread estimated
 * from the other A/A pairs (leave one out), so that no pair is judged by a spread it shaped.
 *
 *   npx tsx bench/verdicts/gate-check.ts [--pairs 10] [--suite bench/verdicts/quick-shaped.yaml]
 *     [--inject grpc=auto|grpc=30us] [--loss 25] [--pooled] [--out results/gate-check] [--reuse (keep the runs already in --out)]
 *
 * `auto` sizes the burn from N0's classify throughput over that server: at saturation a call holds
 * the server's event loop for 1 ÷ throughput, so burning (1 ÷ (1 − loss) − 1) ÷ throughput more
 * costs `--loss` percent of it. What the burn really did is measured and printed pair by pair.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compareRuns, rowChanges, rowKey } from '../../reports/compare-runs.js';
import type { Results } from '../results/results-types.js';
import { estimateRunSpread } from '../stats/run-ratio.js';
import type { FigureSpread, RunSpread } from '../stats/run-spread.js';
import { burnUsForLoss } from './calibration-score.js';

const { values: args } = parseArgs({
  options: {
    pairs: { type: 'string', default: '10' },
    suite: { type: 'string', default: 'bench/verdicts/quick-shaped.yaml' },
    inject: { type: 'string', default: 'grpc=auto' },
    loss: { type: 'string', default: '25' },
    out: { type: 'string', default: 'results/gate-check' },
    reuse: { type: 'boolean', default: false },
    /** One spread per figure pooled over the rows, instead of one per scenario/variant row. */
    pooled: { type: 'boolean', default: false },
  },
});
const pairs = Number(args.pairs);
const out = resolve(args.out);
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const cli = resolve('bin/grpc-rest-bench.js');

function runOnce(name: string, inject: string | undefined): Results {
  const dir = join(out, name);
  if (!(args.reuse && existsSync(join(dir, 'results.json')))) {
    const started = Date.now();
    execFileSync(
      process.execPath,
      [cli, 'run', '--suite', args.suite, '--out', dir, ...(inject ? ['--inject-server-cpu', inject] : [])],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
    log(`${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
}

const plain: Results[] = [runOnce('N0', undefined)];
const inject = sizedInjection(args.inject, plain[0]!);
const injected: Results[] = [];
for (let i = 1; i <= pairs; i++) {
  injected.push(runOnce(`I${i}`, inject));
  plain.push(runOnce(`N${i}`, undefined));
}

/** `grpc=auto` → `grpc=NNus`, sized on the first plain run's classify throughput over that protocol's variant. */
function sizedInjection(asked: string, first: Results): string {
  const [protocol, amount] = asked.split('=');
  if (amount !== 'auto') return asked;
  const rps = first.scenarios.find((s) => s.scenario === 'classify' && s.variant === protocol)?.estimates.rps
    .median;
  if (!rps)
    throw new Error(`--inject ${asked}: N0 has no classify/${protocol} throughput to size the burn from`);
  const us = burnUsForLoss(Number(args.loss), rps);
  log(`injecting ${protocol}=${us.toFixed(1)}us: a ${args.loss}% loss at N0's ${rps.toFixed(0)} req/s`);
  return `${protocol}=${us.toFixed(1)}us`;
}

/**
 * The run spread per figure from A/A pairs of runs, pooled over the absolute rows and over the
 * relative ones ("vs others"), and per row (the default; `--pooled` for the pooled ones only):
 * each row's own spread over the pairs, with their count as its degrees of freedom.
 */
function spreadOf(aaPairs: ReadonlyArray<readonly [Results, Results]>): RunSpread {
  const changes = aaPairs.flatMap(([a, b]) => rowChanges(a, b));
  const spreadFor = (keep: (change: (typeof changes)[number]) => boolean): FigureSpread => {
    const of = (figure: keyof FigureSpread) =>
      estimateRunSpread(changes.filter((c) => c.figure === figure && keep(c)).map((c) => c.change)).runSpread;
    return { throughput: of('throughput'), p50: of('p50'), p99: of('p99') };
  };
  const pooled = { ...spreadFor((c) => !c.relative), relative: spreadFor((c) => c.relative) };
  if (args.pooled) return pooled;
  const keys = [...new Set(changes.map((c) => c.key))];
  return {
    ...pooled,
    rows: Object.fromEntries(keys.map((k) => [k, spreadFor((c) => c.key === k)])),
    pairs: aaPairs.length,
  };
}

const aa = Array.from({ length: pairs }, (_, i) => [plain[i]!, plain[i + 1]!] as const);
const all = spreadOf(aa);
const percent = (s: FigureSpread) =>
  `throughput ${(s.throughput * 100).toFixed(1)}%, p50 ${(s.p50 * 100).toFixed(1)}%, p99 ${(s.p99 * 100).toFixed(1)}%`;
const lines = [
  `gate check · ${plain[0]!.startedAt} → ${plain.at(-1)!.finishedAt} · suite ${args.suite} · ${pairs} A/A pairs and ${pairs} runs with --inject-server-cpu ${inject} (${args.inject}, a ${args.loss}% loss)`,
  `run-to-run spread from all ${pairs} A/A pairs, pooled over the rows: ${percent(all)}; against the scenario's other variants: ${percent(all.relative!)}`,
  '',
  '| pair | steadiness Nᵢ₋₁ / Nᵢ / Iᵢ | rows | A/A: exit | A/A rows beyond their own 95% | injected: exit | caught on |',
  '|---|---|---:|---:|---:|---:|---|',
];
let aaFailures = 0;
let caught = 0;
for (let i = 0; i < pairs; i++) {
  const spread = spreadOf(aa.filter((_, j) => j !== i));
  const same = compareRuns(plain[i]!, plain[i + 1]!, { runSpread: spread });
  const loss = compareRuns(plain[i]!, injected[i]!, { runSpread: spread });
  if (same.regression) aaFailures++;
  if (loss.regression) caught++;
  const named = (rows: typeof loss.rows) =>
    rows
      .filter((r) => r.status === 'regression')
      .map((r) => `${rowKey(r.scenario, r.variant, r.relative)} ${r.figure} ${(r.change * 100).toFixed(1)}%`)
      .join(', ');
  lines.push(
    `| N${i}→N${i + 1} / N${i}→I${i + 1} | ${[plain[i]!, plain[i + 1]!, injected[i]!].map(steadinessOf).join(' / ')} | ${same.rows.length} | ${same.regression ? `4 (${named(same.rows)})` : 0} | ${same.rows.filter((r) => r.pValue < 0.05).length} | ${loss.regression ? 4 : 0} | ${named(loss.rows) || '–'} |`,
  );
}
/** The memory-bound steadiness the run measured before its servers started (machine-steadiness.ts). */
function steadinessOf(run: Results): string {
  const spread = run.environment.steadiness?.memoryBound;
  return spread === undefined ? '–' : `${(spread * 100).toFixed(1)}%`;
}

const injectedEffects = injected.map((run, i) => {
  const row = compareRuns(plain[i]!, run).rows.find(
    (r) => r.scenario === 'classify' && r.variant === 'grpc' && r.figure === 'throughput' && !r.relative,
  );
  return row ? row.change * 100 : Number.NaN;
});
const pooledEffect =
  (Math.exp(injectedEffects.reduce((sum, e) => sum + Math.log(1 + e / 100), 0) / injectedEffects.length) -
    1) *
  100;
lines.push(
  '',
  `The injected cost's effect on classify/grpc throughput (current ÷ baseline − 1), pair by pair: ${injectedEffects.map((e) => `${e.toFixed(0)}%`).join(', ')}; over all pairs (geometric mean) ${pooledEffect.toFixed(1)}%.`,
  `A/A: exit 4 in ${aaFailures} of ${pairs} pairs; injected loss caught (exit 4) in ${caught} of ${pairs}. Each pair judged with the spread of the other ${pairs - 1} A/A pairs.`,
);
writeFileSync(join(out, 'gate-check.md'), `${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
