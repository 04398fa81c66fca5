/**
 * The driver ceiling benchmark (`npm run bench:driver`): is our load generator fast enough
 * that the server, not the driver, sets the numbers? Our gRPC transport driver is held
 * against h2load and our REST driver against wrk, on the cheap classify RPC, against
 * servers in their own processes. By default runs alternate ours, reference, ours,
 * reference… so that drift in the server hits both sides alike; `--together` runs both
 * at once against the same server instead, which a busy machine disturbs far less.
 *
 *   npx tsx bench/ceiling/driver-ceiling.ts [--pin] [--together] [--connections 8] [--streams 8]
 *     [--duration 5] [--warmup 1] [--reps 3] [--threshold 0.9]
 *     [--pair grpc|rest|both|connect-json|connect-proto|grpc-web|web|all]
 *     [--grpc-driver grpc-h2|grpc-node-h2] [--check-every 64]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { connectExchange, grpcWebExchange } from '../drivers/h1-exchanges.js';
import { buildRequestPayload } from '../drivers/request-payloads.js';
import { ServerProcess } from '../run/server-process.js';
import { formatPair, type PairResult, verdictOf } from './ceiling-table.js';
import type { OurRunRequest, RunMeasurement } from './ceiling-types.js';
import { runOurDriver } from './our-driver-child.js';
import {
  installHint,
  type LoadShape,
  runH2load,
  runWrk,
  toolAvailable,
  wrkRequestScript,
  wrkScript,
} from './reference-tools.js';
import { ServerWindow } from './server-window.js';

/** The server under test in a process of its own, as in a real run (pinned when asked). */
function startServer(protocol: 'grpc' | 'rest' | 'web', cpu: number | undefined): Promise<ServerProcess> {
  return ServerProcess.start({
    protocol,
    host: '127.0.0.1',
    stt: 'reference',
    realTimeFactor: 0,
    ...(cpu === undefined ? {} : { cpus: String(cpu) }),
  });
}
const { values } = parseArgs({
  options: {
    pin: { type: 'boolean', default: false },
    together: { type: 'boolean', default: false },
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

function usage(problem: string): never {
  process.stderr.write(`error: ${problem}\n`);
  process.exit(2);
}

function positive(name: string, text: string, integer = true): number {
  const value = Number(text);
  if (!(value > 0) || (integer && !Number.isInteger(value))) {
    usage(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${text}`);
  }
  return value;
}

function grpcDriverOf(name: string): 'grpc-h2' | 'grpc-node-h2' {
  if (name === 'grpc-h2' || name === 'grpc-node-h2') return name;
  return usage(`--grpc-driver must be grpc-h2 or grpc-node-h2, got ${name}`);
}

const settings = {
  connections: positive('connections', values.connections),
  streams: positive('streams', values.streams),
  durationS: positive('duration', values.duration),
  warmupS: positive('warmup', values.warmup),
  reps: positive('reps', values.reps),
  threshold: positive('threshold', values.threshold, false),
  checkEvery: positive('check-every', values['check-every']),
  grpcDriver: grpcDriverOf(values['grpc-driver']),
};
/** `both` (the default) is the original two pairs; `web` the web server's three; `all` every one. */
const pairGroups: Record<string, readonly string[]> = {
  both: ['grpc', 'rest'],
  web: ['connect-json', 'connect-proto', 'grpc-web'],
  all: ['grpc', 'rest', 'connect-json', 'connect-proto', 'grpc-web'],
};
const pairsAsked = pairGroups[values.pair] ?? [values.pair];
if (!pairsAsked.every((pair) => pairGroups.all!.includes(pair)))
  usage(`--pair must be one of ${pairGroups.all!.join(', ')}, both, web or all, got ${values.pair}`);
// Server on CPU 0; every load generator, ours and theirs, on CPU 1.
const serverCpu = values.pin ? 0 : undefined;
const driverCpu = values.pin ? 1 : undefined;

/**
 * One side each. `ours` and `reference` call `loadStarted(warm-up ms)` when their load
 * starts, so that the server's CPU is read over their measured window;
 * `referenceAlongside` is the reference run started together with ours.
 */
interface PairPlan {
  readonly title: string;
  readonly names: [string, string];
  readonly server: ServerProcess;
  ours(loadStarted: (warmupMs: number) => void): Promise<RunMeasurement>;
  reference(loadStarted: (warmupMs: number) => void): Promise<RunMeasurement>;
  referenceAlongside(): Promise<RunMeasurement>;
}

/** A run, with the server's CPU time over its measured window. */
async function measured(
  plan: PairPlan,
  run: (loadStarted: (warmupMs: number) => void) => Promise<RunMeasurement>,
): Promise<RunMeasurement> {
  const window = new ServerWindow(plan.server, settings.durationS * 1000);
  const measurement = await run((warmupMs) => window.loadStarted(warmupMs));
  const serverCpuUs = window.cpuUs();
  return serverCpuUs === undefined ? measurement : { ...measurement, serverCpuUs };
}

async function repeat(plan: PairPlan): Promise<PairResult> {
  const oursRuns: RunMeasurement[] = [];
  const referenceRuns: RunMeasurement[] = [];
  for (let rep = 1; rep <= settings.reps; rep++) {
    process.stderr.write(`${plan.title}: repetition ${rep}/${settings.reps}\n`);
    if (values.together) {
      let alongside: Promise<RunMeasurement> | undefined;
      const startAlongside = () => {
        alongside = plan.referenceAlongside();
        // Awaited once ours is done; until then a failure must not count as unhandled.
        alongside.catch(() => {});
      };
      oursRuns.push(await plan.ours(startAlongside));
      if (!alongside) throw new Error(`${plan.names[0]} never signalled that it was connected`);
      referenceRuns.push(await alongside);
    } else {
      oursRuns.push(await measured(plan, plan.ours));
      referenceRuns.push(await measured(plan, plan.reference));
    }
  }
  return {
    title: plan.title,
    ours: plan.names[0],
    reference: plan.names[1],
    windowS: settings.durationS,
    oursRuns,
    referenceRuns,
  };
}

function ourRequest(driver: OurRunRequest['driver'], shape: LoadShape): OurRunRequest {
  return {
    driver,
    port: shape.port,
    connections: shape.connections,
    inFlightPerConnection: shape.streams,
    warmupMs: shape.warmupS * 1000,
    durationMs: shape.durationS * 1000,
    checkEvery: settings.checkEvery,
  };
}

/** Our driver's side of a pair: its load (and the server's window) starts once it has connected. */
function ourRun(driver: OurRunRequest['driver'], shape: LoadShape): PairPlan['ours'] {
  return (loadStarted) =>
    runOurDriver(ourRequest(driver, shape), driverCpu, () => loadStarted(shape.warmupS * 1000));
}

function shapeOf(port: number, streams: number): LoadShape {
  const { connections, warmupS, durationS } = settings;
  return { port, connections, streams, warmupS, durationS, pinTo: driverCpu };
}

const how = () => (values.together ? 'together' : 'alternating');

async function grpcPair(workDir: string): Promise<PairResult> {
  const bodyFile = join(workDir, 'classify.grpc.bin');
  writeFileSync(bodyFile, buildRequestPayload({ rpc: 'classify' }).grpcFrame);
  const server = await startServer('grpc', serverCpu);
  const shape = shapeOf(server.port, settings.streams);
  const { grpcDriver } = settings;
  try {
    return await repeat({
      title: `gRPC classify: ${grpcDriver} vs h2load, ${how()} (-c ${shape.connections} -m ${shape.streams}, ${shape.durationS} s after ${shape.warmupS} s)`,
      names: [grpcDriver, 'h2load'],
      server,
      ours: ourRun(grpcDriver, shape),
      reference: (loadStarted) => {
        loadStarted(shape.warmupS * 1000);
        return runH2load(shape, bodyFile);
      },
      referenceAlongside: () => runH2load(shape, bodyFile),
    });
  } finally {
    await server.stop();
  }
}

/** wrk's side of a pair, from its script. */
function wrkSide(shape: LoadShape, script: string): Pick<PairPlan, 'reference' | 'referenceAlongside'> {
  return {
    // wrk has no warm-up of its own: a discarded run of the warm-up's length stands in for it…
    reference: async (loadStarted) => {
      await runWrk(shape, script, shape.warmupS);
      loadStarted(0);
      return runWrk(shape, script, shape.durationS);
    },
    // …or, alongside ours, it starts when our window opens.
    referenceAlongside: async () => {
      await sleep(shape.warmupS * 1000);
      return runWrk(shape, script, shape.durationS);
    },
  };
}

async function restPair(workDir: string): Promise<PairResult> {
  const script = join(workDir, 'classify.lua');
  writeFileSync(script, wrkScript(buildRequestPayload({ rpc: 'classify' }).jsonBody.toString('utf8')));
  const server = await startServer('rest', serverCpu);
  const shape = shapeOf(server.port, 1);
  try {
    return await repeat({
      title: `REST classify: rest-h1 vs wrk, ${how()} (-c ${shape.connections}, 1 request in flight each, ${shape.durationS} s after ${shape.warmupS} s)`,
      names: ['rest-h1', 'wrk'],
      server,
      ours: ourRun('rest-h1', shape),
      ...wrkSide(shape, script),
    });
  } finally {
    await server.stop();
  }
}

/** The web server's HTTP/1.1 protocols: our RestH1Driver speaking them, against wrk with the same bytes. */
function webPair(pair: 'connect-json' | 'connect-proto' | 'grpc-web') {
  const driver = `${pair}-h1` as const;
  return async (workDir: string): Promise<PairResult> => {
    const payload = buildRequestPayload({ rpc: 'classify' });
    const exchange =
      pair === 'grpc-web'
        ? grpcWebExchange(payload)
        : connectExchange(payload, pair === 'connect-json' ? 'json' : 'proto');
    const script = join(workDir, `${pair}.lua`);
    writeFileSync(script, wrkRequestScript(exchange.request));
    const server = await startServer('web', serverCpu);
    const shape = shapeOf(server.port, 1);
    try {
      return await repeat({
        title: `${pair} classify: ${driver} vs wrk, ${how()} (-c ${shape.connections}, 1 request in flight each, ${shape.durationS} s after ${shape.warmupS} s)`,
        names: [driver, 'wrk'],
        server,
        ours: ourRun(driver, shape),
        ...wrkSide(shape, script),
      });
    } finally {
      await server.stop();
    }
  };
}

async function main(): Promise<number> {
  if (values.pin && !toolAvailable('taskset')) {
    process.stderr.write('error: --pin needs taskset (apt-get install -y util-linux)\n');
    return 2;
  }
  const pinning = values.pin ? 'server on CPU 0, load generators on CPU 1' : 'not pinned (--pin to pin)';
  process.stdout.write(`driver ceiling: ${settings.reps} repetitions, ${how()}, ${pinning}\n\n`);
  const workDir = mkdtempSync(join(tmpdir(), 'driver-ceiling-'));
  const results: PairResult[] = [];
  try {
    for (const [name, tool, run] of [
      ['grpc', 'h2load', grpcPair],
      ['rest', 'wrk', restPair],
      ['connect-json', 'wrk', webPair('connect-json')],
      ['connect-proto', 'wrk', webPair('connect-proto')],
      ['grpc-web', 'wrk', webPair('grpc-web')],
    ] as const) {
      if (!pairsAsked.includes(name)) continue;
      if (!toolAvailable(tool)) {
        const pair = `${name} pair`;
        process.stdout.write(
          `${pair}: skipped, ${tool} is not installed (install it with: ${installHint})\n\n`,
        );
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
