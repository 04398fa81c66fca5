import { resolve } from 'node:path';
import { namedProfile, networkProfileNames } from '../bench/network/network-profile.js';
import { formatSummary } from '../bench/results/format-summary.js';
import { writeResults } from '../bench/results/write-results.js';
import { CheckpointRecorder } from '../bench/run/checkpoint-recorder.js';
import { SuiteRun } from '../bench/run/run-suite.js';
import { parseServerList, type ServerList } from '../bench/run/server-list.js';
import { youngGenerations } from '../bench/run/server-node-flags.js';
import { parseDurationMs } from '../bench/scenarios/duration.js';
import { loadSuite, SuiteError, type SuiteOverrides } from '../bench/scenarios/suite.js';
import { verdictLines } from '../reports/decision/decision-section.js';
import { checkThresholds, parseThresholds, thresholdsExitCode } from '../reports/thresholds.js';
import { writeReports } from '../reports/write-reports.js';
import { type ServerProtocol, serverProtocolInfo } from '../servers/server-protocols.js';
import { tuningNames } from '../servers/tuning.js';
import { defineCommand, parseCommand } from './command-definition.js';
import { ExitCode } from './exit-codes.js';
import { choiceOption, integerOption } from './parse-options.js';
import { reportProgress } from './run-progress.js';
import { UsageError } from './usage-error.js';

export const runCommand = defineCommand({
  name: 'run',
  summary:
    'The benchmark: starts the servers, drives every variant alike, writes results.json and the reports.',
  description: `DIR/results.json is rewritten (atomically) after every repetition as a checkpoint marked "endReason": "running", so that even a killed run leaves its partial results behind. Ctrl-C stops the load, lets requests in flight finish (2 s grace) and writes results marked "interrupted" (exit 130); a second Ctrl-C quits at once, leaving the last checkpoint.

Exit codes: 0 ok, 1 the run failed, 2 bad usage or suite, 3 thresholds breached, 130 interrupted.`,
  options: {
    suite: {
      type: 'string',
      default: 'quick',
      value: 'NAME|FILE',
      description: 'built-in suite (quick, full, scaling, web, decision) or a JSON/YAML suite file',
    },
    out: {
      type: 'string',
      default: 'results/latest',
      value: 'DIR',
      description: 'where results.json and the reports go',
    },
    duration: {
      type: 'string',
      value: '10s',
      description: "override every scenario's measured duration (smoke runs)",
    },
    connections: { type: 'string', value: 'N', description: "override every scenario's connection count" },
    concurrency: {
      type: 'string',
      value: 'M',
      description: 'override the requests in flight over all connections',
    },
    rate: {
      type: 'string',
      value: 'R',
      description: "override every open-loop scenario's arrival rate (req/s)",
    },
    repetitions: { type: 'string', value: 'N', description: 'override the repetitions per variant' },
    pin: {
      type: 'boolean',
      default: false,
      description: 'pin servers to CPU 0 and the driver to CPU 1 (Linux)',
    },
    tls: {
      type: 'boolean',
      default: false,
      description:
        "every scenario over TLS with a throwaway CA (a suite's `tls: both` runs a scenario both ways, as NAME and NAME-tls)",
    },
    host: { type: 'string', default: '127.0.0.1', value: 'HOST', description: 'address the servers bind to' },
    network: {
      type: 'string',
      value: 'NAME',
      description:
        'every scenario over this network: loopback (no proxy), lan, metro, wan, mobile (an emulated path in the fault proxy, checked at the start of the run; see docs/networks-and-tuning.md)',
    },
    'congestion-window': {
      type: 'string',
      value: 'on|off',
      defaultText: 'on',
      description: "model TCP's congestion window on emulated paths",
    },
    tuning: {
      type: 'string',
      value: 'default|tuned|both',
      description:
        "every scenario with the servers' defaults, with raised HTTP/2 windows, or both (NAME and NAME-tuned)",
    },
    'young-generation': {
      type: 'string',
      value: 'fixed|default',
      defaultText: 'fixed',
      description:
        "the servers' V8 young generation: fixed at 16 MB, or V8's own sizing, which leaves identical server processes 5–40% apart (docs/verdicts.md)",
    },
    json: {
      type: 'boolean',
      default: false,
      description: 'print results.json on stdout instead of the summary table',
    },
    'inject-server-delay': {
      type: 'string',
      value: '2ms',
      description: "slow every unary call down on purpose (to test compare's regression gate)",
    },
    'inject-server-cpu': {
      type: 'string',
      value: 'grpc=20us',
      description:
        "burn that much CPU in every unary call of one protocol's server (grpc, connect, rest, rest-h2): a known loss in one variant, for testing compare",
    },
    servers: {
      type: 'string',
      value: 'grpc=HOST:PORT,...',
      description:
        'drive these already-running servers (started with serve; protocols grpc, connect, rest, rest-h2) instead of starting any; variants whose server is not listed are skipped (and say so)',
    },
  },
  examples: [
    'grpc-rest-bench run --suite quick --out results/latest',
    'grpc-rest-bench run --servers grpc=127.0.0.1:50051,rest=127.0.0.1:8080 --duration 5s',
  ],
});

/** The command line and the suite, checked (every problem at once), without running anything. */
export function parseRunOptions(argv: readonly string[]) {
  const { values } = parseCommand(runCommand, argv);
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
  let injectedServerCpu: { protocol: ServerProtocol; us: number } | undefined;
  if (values['inject-server-cpu'] !== undefined) {
    const match = /^([a-z0-9-]+)=(\d+(?:\.\d+)?)us$/.exec(values['inject-server-cpu']);
    if (!match || !(match[1]! in serverProtocolInfo))
      problems.push(
        `--inject-server-cpu must look like grpc=20us (one of ${Object.keys(serverProtocolInfo).join(', ')}), not "${values['inject-server-cpu']}"`,
      );
    else injectedServerCpu = { protocol: match[1] as ServerProtocol, us: Number(match[2]) };
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
  const youngGeneration = choiceOption(
    'young-generation',
    values['young-generation'],
    youngGenerations,
    'fixed',
    problems,
  );
  for (const key of Object.keys(overrides) as (keyof SuiteOverrides)[])
    if (overrides[key] === undefined) delete overrides[key];
  let servers: ServerList | undefined;
  if (values.servers !== undefined) {
    servers = parseServerList(values.servers, problems);
    if (injectedServerCpu) problems.push('--inject-server-cpu needs servers this run starts');
    if (values['young-generation'] !== undefined)
      problems.push('--young-generation needs servers this run starts: it cannot change --servers');
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
  return { values, suite, injectedServerDelayMs, injectedServerCpu, servers, youngGeneration };
}

export async function run(argv: readonly string[]): Promise<number> {
  const { values, suite, injectedServerDelayMs, injectedServerCpu, servers, youngGeneration } =
    parseRunOptions(argv);

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
      youngGeneration,
      ...(injectedServerCpu ? { injectedServerCpu } : {}),
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
    process.stdout.write(
      values.json
        ? `${JSON.stringify(results, null, 2)}\n`
        : `${verdictLines(results).join('\n')}\n\n${formatSummary(results)}`,
    );
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
