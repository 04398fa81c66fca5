/**
 * The driver ceiling benchmark (`npm run bench:driver`): is our load generator fast enough
 * that the server, not the driver, sets the numbers? Our gRPC transport driver is held
 * against h2load and our REST driver against wrk, on the cheap classify RPC, against
 * servers in their own processes. Runs alternate ours, reference, ours, reference… so
 * that drift in the server hits both sides alike.
 *
 *   npx tsx bench/ceiling/driver-ceiling.ts [--pin] [--connections 8] [--streams 8]
 *     [--duration 5] [--warmup 1] [--reps 3] [--threshold 0.9] [--pair grpc|rest|both]
 *     [--grpc-driver grpc-h2|grpc-node-h2] [--check-every 64]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildRequestPayload } from '../drivers/request-payloads.js';
import { formatPair, type PairResult, verdictOf } from './ceiling-table.js';
import type { OurRunRequest, OurRunResult, RunMeasurement } from './ceiling-types.js';
import { installHint, parseH2load, parseWrk, runTool, toolAvailable, wrkScript } from './reference-tools.js';
import { startServeChild } from './serve-child.js';

const { values } = parseArgs({
  options: {
    pin: { type: 'boolean', default: false },
    connections: { type: 'string', default: '8' },
    streams: { type: 'string', default: '8' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    reps: { type: 'string', default: '3' },
    threshold: { type: 'string', default: '0.9' },
    pair: { type: 'string', default: 'both' },
    'check-every': { type: 'string', default: '64' },
    'grpc-driver': { type: 'string', default: 'grpc-h2' },
  },
});

function positive(name: string, text: string, integer = true): number {
  const value = Number(text);
  if (!(value > 0) || (integer && !Number.isInteger(value))) {
    process.stderr.write(
      `error: --${name} must be a positive ${integer ? 'integer' : 'number'}, got ${text}\n`,
    );
    process.exit(2);
  }
  return value;
}

const settings = {
  connections: positive('connections', values.connections),
  streams: positive('streams', values.streams),
  durationS: positive('duration', values.duration),
  warmupS: positive('warmup', values.warmup),
  reps: positive('reps', values.reps),
  threshold: positive('threshold', values.threshold, false),
  checkEvery: positive('check-every', values['check-every']),
};
function grpcDriverOf(name: string): 'grpc-h2' | 'grpc-node-h2' {
  if (name === 'grpc-h2' || name === 'grpc-node-h2') return name;
  process.stderr.write(`error: --grpc-driver must be grpc-h2 or grpc-node-h2, got ${name}\n`);
  process.exit(2);
}
const grpcDriver = grpcDriverOf(values['grpc-driver']);
if (!['grpc', 'rest', 'both'].includes(values.pair)) {
  process.stderr.write(`error: --pair must be grpc, rest or both, got ${values.pair}\n`);
  process.exit(2);
}
// Server on CPU 0; every load generator, ours and theirs, on CPU 1.
const serverCpu = values.pin ? 0 : undefined;
const driverCpu = values.pin ? 1 : undefined;
const ourRunPath = fileURLToPath(new URL('./our-driver-run.ts', import.meta.url));

async function runOurs(request: OurRunRequest): Promise<RunMeasurement> {
  const output = await runTool(
    process.execPath,
    ['--import', 'tsx', ourRunPath, JSON.stringify(request)],
    driverCpu,
  );
  const line = output.stdout.trim().split('\n').pop() ?? '';
  if (output.code !== 0 || !line.startsWith('{')) {
    throw new Error(`our ${request.driver} run failed (exit ${output.code}): ${output.stderr}`);
  }
  const result = JSON.parse(line) as OurRunResult;
  const { counts } = result;
  const unsuccessful = counts.failed + counts.timedOut + counts.cancelled;
  const notes = [
    ...(unsuccessful > 0 ? [`ours: ${JSON.stringify(counts)}`] : []),
    ...result.problems.map((problem) => `ours: ${problem}`),
  ];
  return { requestsPerSecond: result.requestsPerSecond, unsuccessful, notes, cpuBusy: result.cpuBusy };
}

async function alternate(
  title: string,
  names: [string, string],
  ours: () => Promise<RunMeasurement>,
  reference: () => Promise<RunMeasurement>,
): Promise<PairResult> {
  const oursRuns: RunMeasurement[] = [];
  const referenceRuns: RunMeasurement[] = [];
  for (let rep = 1; rep <= settings.reps; rep++) {
    process.stderr.write(`${title}: repetition ${rep}/${settings.reps}\n`);
    oursRuns.push(await ours());
    referenceRuns.push(await reference());
  }
  return { title, ours: names[0], reference: names[1], oursRuns, referenceRuns };
}

async function grpcPair(workDir: string): Promise<PairResult> {
  const bodyFile = join(workDir, 'classify.grpc.bin');
  writeFileSync(bodyFile, buildRequestPayload({ rpc: 'classify' }).grpcFrame);
  const server = await startServeChild('grpc', serverCpu);
  const { connections, streams, durationS, warmupS } = settings;
  try {
    return await alternate(
      `gRPC classify: ${grpcDriver} vs h2load (-c ${connections} -m ${streams}, ${durationS} s after ${warmupS} s)`,
      [grpcDriver, 'h2load'],
      () =>
        runOurs({
          driver: grpcDriver,
          port: server.port,
          connections,
          inFlightPerConnection: streams,
          warmupMs: warmupS * 1000,
          durationMs: durationS * 1000,
          checkEvery: settings.checkEvery,
        }),
      async () => {
        const args = ['-c', String(connections), '-m', String(streams), '-t', '1'];
        args.push('-D', String(durationS), `--warm-up-time=${warmupS}`, '-d', bodyFile);
        args.push('-H', 'content-type: application/grpc', '-H', 'te: trailers');
        args.push(`http://127.0.0.1:${server.port}/speech.v1.SpeechService/Classify`);
        const output = await runTool('h2load', args, driverCpu);
        return parseH2load(output.stdout + output.stderr);
      },
    );
  } finally {
    await server.stop();
  }
}

async function restPair(workDir: string): Promise<PairResult> {
  const script = join(workDir, 'classify.lua');
  writeFileSync(script, wrkScript(buildRequestPayload({ rpc: 'classify' }).jsonBody.toString('utf8')));
  const server = await startServeChild('rest', serverCpu);
  const { connections, durationS, warmupS } = settings;
  const url = `http://127.0.0.1:${server.port}/v1/classify`;
  const wrk = (seconds: number) =>
    runTool(
      'wrk',
      ['-t1', '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', script, url],
      driverCpu,
    );
  try {
    return await alternate(
      `REST classify: rest-h1 vs wrk (-c ${connections}, 1 request in flight each, ${durationS} s after ${warmupS} s)`,
      ['rest-h1', 'wrk'],
      () =>
        runOurs({
          driver: 'rest-h1',
          port: server.port,
          connections,
          inFlightPerConnection: 1,
          warmupMs: warmupS * 1000,
          durationMs: durationS * 1000,
          checkEvery: settings.checkEvery,
        }),
      async () => {
        // wrk has no warm-up of its own: a discarded run of the same length stands in for it.
        await wrk(warmupS);
        const output = await wrk(durationS);
        return parseWrk(output.stdout + output.stderr);
      },
    );
  } finally {
    await server.stop();
  }
}

function skipped(tool: string, pair: string): void {
  process.stdout.write(`${pair}: skipped, ${tool} is not installed (install it with: ${installHint})\n\n`);
}

async function main(): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), 'driver-ceiling-'));
  if (values.pin && !toolAvailable('taskset')) {
    process.stderr.write('error: --pin needs taskset (apt-get install -y util-linux)\n');
    return 2;
  }
  process.stdout.write(
    `driver ceiling: ${settings.reps} repetitions, ${values.pin ? 'server on CPU 0, load generators on CPU 1' : 'not pinned (--pin to pin)'}\n\n`,
  );
  const results: PairResult[] = [];
  try {
    for (const [name, tool, run] of [
      ['grpc', 'h2load', grpcPair],
      ['rest', 'wrk', restPair],
    ] as const) {
      if (values.pair !== 'both' && values.pair !== name) continue;
      if (!toolAvailable(tool)) {
        skipped(tool, name === 'grpc' ? 'gRPC pair' : 'REST pair');
        continue;
      }
      const result = await run(workDir);
      results.push(result);
      process.stdout.write(`${formatPair(result, settings.threshold)}\n\n`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return results.every((result) => verdictOf(result, settings.threshold).pass) ? 0 : 3;
}

process.exitCode = await main();
