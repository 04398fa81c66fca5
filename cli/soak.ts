import { join, resolve } from 'node:path';
import { writeJsonAtomically } from '../bench/results/write-json-atomically.js';
import { parseDurationMs } from '../bench/scenarios/duration.js';
import { formatSoak } from '../bench/soak/format-soak.js';
import { SoakRun } from '../bench/soak/run-soak.js';
import { sttChoices } from '../servers/engines/stt/select-stt.js';
import { ExitCode } from './exit-codes.js';
import { choiceOption, integerOption, parseOptions } from './parse-options.js';
import { UsageError } from './usage-error.js';

export const soakUsage = `grpc-rest-bench soak [--duration 10m] [--out DIR] [--json] [options]
  Mixed open-loop load (classify + transcribe, over gRPC and REST/JSON) against a gRPC and
  a REST server in processes of their own, for a long time; reports both servers' RSS and
  event-loop delay over time and their RSS growth after warm-up.
  --duration 10m         how long the load runs, warm-up included (default 10m)
  --warmup 2m            load before RSS growth is measured (default a fifth of --duration)
  --interval 5s          how often both servers are sampled (default --duration/120, 250ms to 10s)
  --rate R               arrival rate of each of the four streams, req/s (default 25)
  --stt auto|sphinx|reference  speech engine of the servers (default reference)
  --max-rss-growth 10%   RSS growth after warm-up that fails the soak (default 10%)
  --host HOST            address the servers bind to (default 127.0.0.1)
  --out DIR              also write DIR/soak.json
  --json                 print soak.json on stdout instead of the summary
Exit code 3 when either server's RSS grew by --max-rss-growth or more after warm-up
(or could not be measured), 1 when the soak failed, 130 when interrupted.`;

export async function soak(argv: readonly string[]): Promise<number> {
  const { values } = parseOptions(argv, {
    duration: { type: 'string', default: '10m' },
    warmup: { type: 'string' },
    interval: { type: 'string' },
    rate: { type: 'string' },
    stt: { type: 'string' },
    'max-rss-growth': { type: 'string', default: '10%' },
    host: { type: 'string', default: '127.0.0.1' },
    out: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
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
