import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { ServiceError } from '../servers/core/service-error.js';
import type { StatusCodeName } from '../servers/core/status-codes.js';
import { formatHostPort } from '../servers/host-port.js';
import { type ServerProtocol, serverProtocolInfo } from '../servers/server-protocols.js';
import { type ServeSettings, startServing } from '../servers/start-serving.js';

/**
 * `serve --workers N`: the primary forks N workers (node:cluster), each a full `serve` with
 * its own speech core, all listening through the primary's one socket per port. On Linux
 * the primary accepts and deals connections round-robin, so N connections land evenly
 * (SO_REUSEPORT would leave it to the kernel's hash; Node 20 cannot set it anyway).
 */

type Listening = Readonly<Record<string, { host: string; port: number }>>;

/** What a worker tells the primary, once. */
type WorkerReport =
  | {
      readonly type: 'listening';
      readonly listening: Listening;
      readonly stt: string;
      readonly sttWhy: string;
      readonly classifier: string;
    }
  | { readonly type: 'failed'; readonly code: StatusCodeName; readonly message: string };

/** How long workers get to close before they are killed. */
const stopGraceMs = 10_000;

export async function serveWithWorkers(
  count: number,
  protocols: readonly ServerProtocol[],
  stopWithParent: boolean,
): Promise<number> {
  // Workers never read stdin (the primary watches it) and never print on stdout (one listening line).
  cluster.setupPrimary({ stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const workers = Array.from({ length: count }, () => cluster.fork());
  let reports: Extract<WorkerReport, { type: 'listening' }>[];
  try {
    reports = await Promise.all(workers.map(firstReport));
  } catch (error) {
    await stopWorkers(workers);
    throw error;
  }
  const first = reports[0]!;
  const mismatch = Object.keys(first.listening).filter((key) =>
    reports.some((report) => report.listening[key]?.port !== first.listening[key]!.port),
  );
  if (mismatch.length > 0) {
    await stopWorkers(workers);
    throw new ServiceError('INTERNAL', `workers listen on different ports for ${mismatch.join(', ')}`);
  }
  const pids = workers.map((worker) => worker.process.pid!);
  process.stderr.write(
    `stt engine: ${first.stt} (${first.sttWhy}); classifier: ${first.classifier}\n` +
      `${count} workers (pids ${pids.join(', ')}) share each port; connections are dealt round-robin\n`,
  );
  for (const protocol of protocols) {
    const { host, port } = first.listening[serverProtocolInfo[protocol].eventKey]!;
    process.stderr.write(
      `${serverProtocolInfo[protocol].title} listening on ${formatHostPort(host, port)}\n`,
    );
  }
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', stt: first.stt, ...first.listening, workers: pids })}\n`,
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (code: number) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write('stopping\n');
      stopWorkers(workers).then(
        (clean) => resolve(clean ? code : 1),
        () => resolve(1),
      );
    };
    process.once('SIGINT', () => stop(0));
    process.once('SIGTERM', () => stop(0));
    if (stopWithParent) {
      process.stdin.once('end', () => stop(0));
      process.stdin.resume();
    }
    // A worker gone means the benchmark would measure fewer workers than asked: stop, fail.
    for (const worker of workers) {
      worker.once('exit', (code, signal) => {
        if (stopping) return;
        process.stderr.write(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); stopping\n`);
        stop(1);
      });
    }
  });
}

function firstReport(worker: Worker): Promise<Extract<WorkerReport, { type: 'listening' }>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(new ServiceError('INTERNAL', `worker exited before listening (${signal ?? `code ${code}`})`));
    worker.once('exit', onExit);
    worker.once('message', (report: WorkerReport) => {
      worker.off('exit', onExit);
      if (report.type === 'listening') resolve(report);
      else reject(new ServiceError(report.code, report.message));
    });
  });
}

/** SIGTERM to each worker, SIGKILL to any still there after the grace period; true when all exited 0. */
async function stopWorkers(workers: readonly Worker[]): Promise<boolean> {
  const exits = await Promise.all(
    workers.map(async (worker) => {
      const child = worker.process;
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode === 0;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
      const [code] = (await exited) as [number | null];
      clearTimeout(timer);
      return code === 0;
    }),
  );
  return exits.every(Boolean);
}

/** A worker: serves, tells the primary where, and stops with it. */
export async function serveAsWorker(settings: ServeSettings): Promise<number> {
  const send = (report: WorkerReport) => process.send?.(report);
  let serving: Awaited<ReturnType<typeof startServing>>;
  try {
    serving = await startServing(settings);
  } catch (error) {
    const code = error instanceof ServiceError ? error.code : 'INTERNAL';
    send({ type: 'failed', code, message: error instanceof Error ? error.message : String(error) });
    return 1;
  }
  const { listening, stt, sttWhy, classifier } = serving;
  send({ type: 'listening', listening, stt, sttWhy, classifier });
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      serving.close().then(
        () => resolve(0),
        () => resolve(1),
      );
      // The IPC channel would keep the event loop alive.
      if (process.connected) process.disconnect();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // The IPC channel closes when the primary ends, however it ends: workers never outlive it.
    process.once('disconnect', stop);
  });
}
