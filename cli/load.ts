import { balanceProblems } from '../bench/accounting/request-counts.js';
import { BENCH_RPCS, buildRequestPayload } from '../bench/drivers/request-payloads.js';
import { runClosedLoop } from '../bench/load/closed-loop.js';
import type { LoadResult } from '../bench/load/load-result.js';
import { runOpenLoop } from '../bench/load/open-loop.js';
import { driverFor, serverProtocolOf } from '../bench/run/driver-for-variant.js';
import { parseDurationMs } from '../bench/scenarios/duration.js';
import { clipChoiceOf } from '../bench/scenarios/payload-clips.js';
import { familyNames, payloadNames, variantNames } from '../bench/scenarios/suite-schema.js';
import { defineCommand, parseCommand } from './command-definition.js';
import { ExitCode } from './exit-codes.js';
import { addressOptions, choiceOption, integerOption, readAddress } from './parse-options.js';
import { UsageError } from './usage-error.js';

export const loadCommand = defineCommand({
  name: 'load',
  summary: 'Drives an already running server (started with serve) with one variant, like autocannon or ghz.',
  description: 'Exit code 1 when any request failed, timed out or could not be sent; 130 when interrupted.',
  options: {
    ...addressOptions,
    target: {
      type: 'string',
      value: 'VARIANT',
      description: `the variant to drive (required): ${variantNames.join(', ')}`,
    },
    rpc: { type: 'string', value: 'RPC', description: `the RPC (required): ${BENCH_RPCS.join(', ')}` },
    payload: {
      type: 'string',
      default: 'short3s',
      value: 'KIND',
      description: `corpus payload for audio RPCs: ${payloadNames.join(', ')}`,
    },
    family: {
      type: 'string',
      default: 'transport',
      value: 'FAMILY',
      description: "transport-level driver (transport) or the project's client library (client)",
    },
    connections: { type: 'string', value: 'N', defaultText: '1', description: 'TCP connections' },
    concurrency: {
      type: 'string',
      value: 'M',
      defaultText: '--connections',
      description: 'requests in flight over all connections (a multiple of --connections)',
    },
    rate: { type: 'string', value: 'R', defaultText: 'closed loop', description: 'open loop at R req/s' },
    duration: { type: 'string', value: '10s', defaultText: '10s', description: 'measured time' },
    warmup: { type: 'string', value: '1s', defaultText: '1s', description: 'load before the measured time' },
    timeout: { type: 'string', value: '10s', defaultText: '10s', description: 'deadline of each request' },
    json: { type: 'boolean', default: false, description: 'one JSON object on stdout' },
    'api-key': {
      type: 'string',
      value: 'KEY',
      description:
        'for a server started with API keys (or set GRPC_REST_BENCH_API_KEY); refusals (RESOURCE_EXHAUSTED...) are counted by code, never retried',
    },
  },
  examples: [
    'grpc-rest-bench load --target grpc --rpc classify --connections 2 --concurrency 16 --duration 10s',
  ],
});

export async function load(argv: readonly string[]): Promise<number> {
  const { values } = parseCommand(loadCommand, argv);
  const apiKey = values['api-key'] ?? process.env.GRPC_REST_BENCH_API_KEY;
  const problems: string[] = [];
  if (values.target === undefined) problems.push('--target is required');
  if (values.rpc === undefined) problems.push('--rpc is required');
  const target = choiceOption('target', values.target, variantNames, 'grpc', problems);
  const rpc = choiceOption('rpc', values.rpc, BENCH_RPCS, 'classify', problems);
  const payloadKind = choiceOption('payload', values.payload, payloadNames, 'short3s', problems);
  const family = choiceOption('family', values.family, familyNames, 'transport', problems);
  const address = readAddress(values, problems);
  const connections = integerOption('connections', values.connections, 1, { min: 1, max: 1024 }, problems);
  const concurrency = integerOption(
    'concurrency',
    values.concurrency,
    connections,
    { min: 1, max: 65_536 },
    problems,
  );
  if (concurrency % connections !== 0) {
    problems.push(
      `--concurrency ${concurrency} must be a multiple of --connections ${connections}, so that every connection carries the same load`,
    );
  }
  const rate =
    values.rate === undefined
      ? undefined
      : integerOption('rate', values.rate, 1, { min: 1, max: 1_000_000 }, problems);
  const duration = (name: 'duration' | 'warmup' | 'timeout', fallback: string) => {
    const text = values[name] ?? fallback;
    const ms = parseDurationMs(text);
    if (ms === undefined) problems.push(`--${name} must look like 10s or 500ms, not "${text}"`);
    return ms ?? 0;
  };
  const durationMs = duration('duration', '10s');
  const warmupMs = duration('warmup', '1s');
  const timeoutMs = duration('timeout', '10s');
  if (problems.length > 0) throw new UsageError(problems);

  const payload = buildRequestPayload({
    rpc,
    ...(rpc === 'classify' ? {} : clipChoiceOf(payloadKind)),
  });
  const port = address.ports[serverProtocolOf(target)];
  const driver = driverFor(target, family, {
    host: address.host,
    port,
    payload,
    timeoutMs,
    ...(apiKey === undefined ? {} : { apiKey }),
  });
  const inFlightPerConnection = concurrency / connections;
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let result: LoadResult;
  try {
    const opened = await driver.connect({ connections, inFlightPerConnection });
    process.stderr.write(
      `${driver.name} → ${address.host}:${port} ${payload.description}: ${connections} connections × ${inFlightPerConnection} in flight, ${rate === undefined ? 'closed loop' : `open loop ${rate} req/s`}, ${durationMs / 1000} s\n`,
    );
    const common = { inFlightPerConnection, warmupMs, durationMs, signal: controller.signal };
    result =
      rate === undefined
        ? await runClosedLoop(opened, common)
        : await runOpenLoop(opened, { ...common, ratePerSecond: rate });
  } finally {
    await driver.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const uncorrected = result.latencyUncorrected;
  const summary = {
    target,
    rpc,
    driver: driver.name,
    connections,
    concurrency,
    loadModel: rate === undefined ? 'closed' : 'open',
    ...(rate === undefined ? {} : { rate }),
    durationMs: result.durationMs,
    rps: result.throughput,
    latencyUs: result.latency.percentiles(),
    ...(uncorrected ? { latencyUsUncorrected: uncorrected.percentiles() } : {}),
    ...result.counts,
    bytesWritten: result.bytesWritten,
    bytesRead: result.bytesRead,
    interrupted: controller.signal.aborted,
  };
  const imbalance = balanceProblems(result.counts);
  if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    const l = summary.latencyUs;
    process.stdout.write(
      `${summary.rps.toFixed(0)} req/s · latency µs p50 ${l.p50} p90 ${l.p90} p99 ${l.p99} p99.9 ${l.p999} max ${l.max}\n` +
        `sent ${summary.sent} = ok ${summary.ok} + failed ${summary.failed} ${JSON.stringify(summary.failedByCode)} + timed out ${summary.timedOut} + not sent ${summary.notSent} + cancelled ${summary.cancelled}\n`,
    );
  }
  if (imbalance.length > 0) process.stderr.write(`accounting error: ${imbalance.join('; ')}\n`);
  if (controller.signal.aborted) return ExitCode.interrupted;
  const clean =
    result.counts.failed + result.counts.timedOut + result.counts.notSent === 0 && imbalance.length === 0;
  return clean ? ExitCode.ok : ExitCode.runFailed;
}
