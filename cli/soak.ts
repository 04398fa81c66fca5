import { join, resolve } from 'node:path';
import { writeJsonAtomically } from '../bench/results/write-json-atomically.js';
import { parseDurationMs } from '../bench/scenarios/duration.js';
import { formatSoak } from '../bench/soak/format-soak.js';
import { SoakRun } from '../bench/soak/run-soak.js';
import { sttChoices } from '../servers/engines/stt/select-stt.js';
import { defineCommand, parseCommand } from './command-definition.js';
import { ExitCode } from './exit-codes.js';
import { choiceOption, integerOption } from './parse-options.js';
import { UsageError } from './usage-error.js';

export const soakCommand = defineCommand({
  name: 'soak',
  summary: "Long mixed load against a gRPC and a REST server: both servers' memory and event loop over time.",
  description: `Mixed open-loop load (classify + transcribe, over gRPC and REST/JSON, four streams) against a gRPC and a REST server in processes of their own, for a long time; reports both servers' RSS and event-loop delay over time and the growth of their memory in use after warm-up.

Exit code 3 when either server's memory grew by --max-rss-growth or more after warm-up (or could not be measured), 1 when the soak failed, 130 when interrupted.`,
  options: {
    duration: {
      type: 'string',
      default: '10m',
      value: 'DURATION',
      description: 'how long the load runs, warm-up included',
    },
    warmup: {
      type: 'string',
      value: 'DURATION',
      defaultText: 'a fifth of --duration',
      description: 'load before memory growth is measured',
    },
    interval: {
      type: 'string',
      value: 'DURATION',
      defaultText: '--duration/120, 250ms to 10s',
      description: 'how often both servers are sampled',
    },
    rate: {
      type: 'string',
      value: 'R',
      defaultText: '25',
      description: 'arrival rate of each of the four streams, req/s',
    },
    stt: {
      type: 'string',
      value: sttChoices.join('|'),
      defaultText: 'reference',
      description: 'speech engine of the servers',
    },
    'max-rss-growth': {
      type: 'string',
      default: '10%',
      value: 'PERCENT',
      description: 'memory growth after warm-up that fails the soak',
    },
    host: { type: 'string', default: '127.0.0.1', value: 'HOST', description: 'address the servers bind to' },
    out: { type: 'string', value: 'DIR', description: 'also write DIR/soak.json' },
    json: {
      type: 'boolean',
      default: false,
      description: 'print soak.json on stdout instead of the summary',
    },
  },
  examples: ['grpc-rest-bench soak --duration 10m --out results/soak'],
});

export async function soak(argv: readonly string[]): Promise<number> {
  const { values } = parseCommand(soakCommand, argv);
  const problems: string[] = [];
  const duration = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const ms = parseDurationMs(value);
    if (ms === undefined || ms <= 0)
      problems.push(`--${name} must look like 10m, 30s or 500ms, not "${value}"`);
    return ms ?? fallback;
  };
  const durationMs = duration('duration', values.duration, 600_000);
  const warmupMs = duration('warmup', values.warmup, durationMs / 5);
  const sampleIntervalMs = duration(
    'interval',
    values.interval,
    Math.min(10_000, Math.max(250, durationMs / 120)),
  );
  if (warmupMs >= durationMs) problems.push(`--warmup must be shorter than --duration`);
  if (sampleIntervalMs * 4 > durationMs - warmupMs)
    problems.push('--interval must leave at least four samples after warm-up');
  const ratePerStream = integerOption('rate', values.rate, 25, { min: 1, max: 10_000 }, problems);
  const stt = choiceOption('stt', values.stt, sttChoices, 'reference', problems);
  const growth = /^(\d+(?:\.\d+)?)%?$/.exec(values['max-rss-growth'].trim());
  if (!growth || Number(growth[1]) <= 0)
    problems.push(
      `--max-rss-growth must be a positive percentage like 10%, not "${values['max-rss-growth']}"`,
    );
  if (problems.length > 0) throw new UsageError(problems);

  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    process.stderr.write(
      `\n${signal}: stopping the load and writing what was measured (again to quit at once)\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const soakRun = new SoakRun({
      durationMs,
      warmupMs,
      sampleIntervalMs,
      ratePerStream,
      host: values.host,
      stt,
      maxRssGrowthPercent: Number(growth![1]),
      signal: controller.signal,
    });
    soakRun.on('servers', (servers) =>
      process.stderr.write(
        `servers: ${servers.map((s) => `${s.server} pid ${s.pid} port ${s.port}`).join(', ')}\n`,
      ),
    );
    soakRun.on('warning', (message) => process.stderr.write(`warning: ${message}\n`));
    const results = await soakRun.run();
    if (values.out !== undefined) {
      const file = writeJsonAtomically(join(resolve(values.out), 'soak.json'), results);
      process.stderr.write(`soak results: ${file}\n`);
    }
    process.stdout.write(values.json ? `${JSON.stringify(results, null, 2)}\n` : formatSoak(results));
    if (results.endReason === 'interrupted') return ExitCode.interrupted;
    if (results.endReason !== 'completed') return ExitCode.runFailed;
    return results.passed ? ExitCode.ok : ExitCode.thresholdsBreached;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
