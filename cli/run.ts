import { resolve } from 'node:path';
import { namedProfile, networkProfileNames } from '../bench/network/network-profile.js';
import { formatSummary } from '../bench/results/format-summary.js';
import { writeResults } from '../bench/results/write-results.js';
import { CheckpointRecorder } from '../bench/run/checkpoint-recorder.js';
import { SuiteRun } from '../bench/run/run-suite.js';
import { parseServerList, type ServerList } from '../bench/run/server-list.js';
import { parseDurationMs } from '../bench/scenarios/duration.js';
import { loadSuite, SuiteError, type SuiteOverrides } from '../bench/scenarios/suite.js';
import { checkThresholds, parseThresholds, thresholdsExitCode } from '../reports/thresholds.js';
import { writeReports } from '../reports/write-reports.js';
import { tuningNames } from '../servers/tuning.js';
import { ExitCode } from './exit-codes.js';
import { choiceOption, integerOption, parseOptions } from './parse-options.js';
import { reportProgress } from './run-progress.js';
import { UsageError } from './usage-error.js';

export const runUsage = `grpc-rest-bench run [--suite quick|full|FILE] [--out DIR] [options]
  --suite NAME|FILE     built-in suite (quick, the default; full) or a JSON/YAML suite file
  --out DIR             where results.json goes (default results/latest)
  --duration 10s        override every scenario's measured duration (smoke runs)
  --connections N       override every scenario's connection count
  --concurrency M       override the requests in flight over all connections
  --rate R              override every open-loop scenario's arrival rate (req/s)
  --repetitions N       override the repetitions per variant
  --pin                 pin servers to CPU 0 and the driver to CPU 1 (Linux)
  --host HOST           address the servers bind to (default 127.0.0.1)
  --tls                 every scenario over TLS with a throwaway CA (a suite's \`tls: both\`
                        runs a scenario both ways, as NAME and NAME-tls)
  --network NAME        every scenario over this network: loopback (no proxy), lan, metro, wan,
                        mobile (an emulated path in the fault proxy, checked at the start of the run;
                        see docs/networks-and-tuning.md)
  --congestion-window on|off   model TCP's congestion window on emulated paths (default on)
  --tuning default|tuned|both  every scenario with the servers' defaults, with raised HTTP/2
                        windows, or both (NAME and NAME-tuned)
  --servers grpc=HOST:PORT,connect=HOST:PORT,rest=HOST:PORT,rest-h2=HOST:PORT
                        drive these already-running servers (started with serve) instead of
                        starting any; variants whose server is not listed are skipped (and say so)
  --json                print results.json on stdout instead of the summary table
  --inject-server-delay 2ms   slow every unary call down on purpose (to test compare's regression gate)
DIR/results.json is rewritten (atomically) after every repetition as a checkpoint marked
"endReason": "running", so that even a killed run leaves its partial results behind.
Ctrl-C stops the load, lets requests in flight finish (2 s grace) and writes results marked
"interrupted" (exit 130); a second Ctrl-C quits at once, leaving the last checkpoint.`;

/** The command line and the suite, checked (every problem at once), without running anything. */
export function parseRunOptions(argv: readonly string[]) {
  const { values } = parseOptions(argv, {
    suite: { type: 'string', default: 'quick' },
    out: { type: 'string', default: 'results/latest' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    repetitions: { type: 'string' },
    pin: { type: 'boolean', default: false },
    tls: { type: 'boolean', default: false },
    host: { type: 'string', default: '127.0.0.1' },
    json: { type: 'boolean', default: false },
    'inject-server-delay': { type: 'string' },
    servers: { type: 'string' },
    network: { type: 'string' },
    'congestion-window': { type: 'string' },
    tuning: { type: 'string' },
  });
  const problems: string[] = [];
  const overrides: { -readonly [K in keyof SuiteOverrides]: SuiteOverrides[K] } = {};
  if (values.duration !== undefined) {
    const ms = parseDurationMs(values.duration);
    if (ms === undefined || ms <= 0)
      problems.push(`--duration must look like 10s or 500ms, not "${values.duration}"`);
    else overrides.durationMs = ms;
  }
  let injectedServerDelayMs = 0;
  if (values['inject-server-delay'] !== undefined) {
    const ms = parseDurationMs(values['inject-server-delay']);
    if (ms === undefined)
      problems.push(`--inject-server-delay must look like 2ms, not "${values['inject-server-delay']}"`);
    else injectedServerDelayMs = ms;
  }
  const whole = (name: string, value: string | undefined, max: number) =>
    value === undefined ? undefined : integerOption(name, value, 1, { min: 1, max }, problems);
  overrides.connections = whole('connections', values.connections, 1024);
  overrides.concurrency = whole('concurrency', values.concurrency, 65_536);
  overrides.rate = whole('rate', values.rate, 1_000_000);
  overrides.repetitions = whole('repetitions', values.repetitions, 50);
  if (values.tls) overrides.tls = true;
  if (values.network !== undefined)
    overrides.network = namedProfile(
      choiceOption('network', values.network, networkProfileNames, 'loopback', problems),
    );
  if (values['congestion-window'] !== undefined)
    overrides.congestionWindow =
      choiceOption('congestion-window', values['congestion-window'], ['on', 'off'], 'on', problems) === 'on';
  if (values.tuning !== undefined)
    overrides.tuning = choiceOption(
      'tuning',
      values.tuning,
      [...tuningNames, 'both'] as const,
      'default',
      problems,
    );
  for (const key of Object.keys(overrides) as (keyof SuiteOverrides)[])
    if (overrides[key] === undefined) delete overrides[key];
  let servers: ServerList | undefined;
  if (values.servers !== undefined) {
    servers = parseServerList(values.servers, problems);
    if (injectedServerDelayMs > 0)
      problems.push('--inject-server-delay needs servers this run starts: it cannot slow --servers down');
  }
  if (problems.length > 0) throw new UsageError(problems);
  let suite: ReturnType<typeof loadSuite>;
  try {
    suite = loadSuite(values.suite, overrides);
  } catch (error) {
    if (error instanceof SuiteError)
      throw new UsageError([`invalid suite ${error.source}`, ...error.problems]);
    throw error;
  }
  const malformed = parseThresholds(suite.thresholds).problems;
  if (malformed.length > 0) throw new UsageError([`invalid thresholds in ${values.suite}`, ...malformed]);
  return { values, suite, injectedServerDelayMs, servers };
}

export async function run(argv: readonly string[]): Promise<number> {
  const { values, suite, injectedServerDelayMs, servers } = parseRunOptions(argv);

  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    process.stderr.write(`\n${signal}: stopping the load and writing results (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const suiteRun = new SuiteRun({
      suite,
      host: values.host,
      pin: values.pin,
      signal: controller.signal,
      injectedServerDelayMs,
      ...(servers ? { servers } : {}),
    });
    reportProgress(suiteRun);
    const outDir = resolve(values.out);
    let checkpointFailed = false;
    new CheckpointRecorder(suiteRun, {
      suite,
      pinned: values.pin,
      write: (partial) => {
        try {
          writeResults(outDir, partial);
        } catch (error) {
          // A lost checkpoint must not cost the run: say so once and carry on.
          if (!checkpointFailed)
            process.stderr.write(`warning: cannot write a checkpoint to ${outDir}: ${String(error)}\n`);
          checkpointFailed = true;
        }
      },
    });
    const results = await suiteRun.run();
    const file = writeResults(outDir, results);
    const reports = writeReports(outDir, results);
    process.stdout.write(values.json ? `${JSON.stringify(results, null, 2)}\n` : formatSummary(results));
    process.stderr.write(
      `results: ${file}\nreports: ${reports.map((r) => r.slice(outDir.length + 1)).join(', ')}\n`,
    );
    if (results.endReason === 'interrupted') return ExitCode.interrupted;
    if (results.endReason !== 'completed') return ExitCode.runFailed;
    const outcomes = checkThresholds(results, suite.thresholds);
    for (const outcome of outcomes)
      process.stderr.write(`threshold ${outcome.status}: ${outcome.expression} (${outcome.message})\n`);
    return thresholdsExitCode(outcomes) === 0 ? ExitCode.ok : ExitCode.thresholdsBreached;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
