import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { ServiceError } from '../servers/core/service-error.js';
import type { StatusCodeName } from '../servers/core/status-codes.js';
import { type ServeSettings, type Serving, startServing } from '../servers/start-serving.js';
import type { ServerTls } from '../servers/tls/server-tls.js';

/**
 * `serve --workers N`: the primary forks N workers (node:cluster), each a full `serve` with
 * its own speech core, all listening through the primary's one socket per port. On Linux
 * the primary accepts and deals connections round-robin, so N connections land evenly
 * (SO_REUSEPORT would leave it to the kernel's hash; Node 20 cannot set it anyway).
 */

type Listening = Serving['listening'];

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

export interface ServingWorkers extends Serving {
  readonly pids: readonly number[];
  /** Settles when a worker exits on its own: the server then serves with fewer workers than asked. */
  readonly lost: Promise<string>;
}

/** How long workers get to close before they are killed. */
const stopGraceMs = 10_000;

/**
 * Workers re-read the command line, but TLS must be the primary's: a throwaway PKI made in
 * each worker would give each its own CA.
 */
const tlsVariable = 'GRPC_REST_BENCH_WORKER_TLS';

export async function startWorkers(count: number, tls: ServerTls | undefined): Promise<ServingWorkers> {
  // Workers never read stdin (the primary watches it) and never print on stdout (one listening line).
  cluster.setupPrimary({ stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const env = { [tlsVariable]: JSON.stringify(tls ?? null) };
  const workers = Array.from({ length: count }, () => cluster.fork(env));
  let stopping = false;
  const close = async () => {
    stopping = true;
    if (!(await stopWorkers(workers))) throw new ServiceError('INTERNAL', 'a worker did not stop cleanly');
  };
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
  const lost = new Promise<string>((resolve) => {
    for (const worker of workers) {
      worker.once('exit', (code, signal) => {
        if (!stopping) resolve(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`})`);
      });
    }
  });
  const { listening, stt, sttWhy, classifier } = first;
  return { listening, stt, sttWhy, classifier, close, pids: workers.map((w) => w.process.pid!), lost };
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

/** The TLS the primary gave this worker (see tlsVariable). */
export function workerTls(): ServerTls | undefined {
  return (JSON.parse(process.env[tlsVariable] ?? 'null') as ServerTls | null) ?? undefined;
}

/** A worker: serves, tells the primary where, and stops with it. */
export async function serveAsWorker(settings: ServeSettings): Promise<number> {
  const send = (report: WorkerReport) => process.send?.(report);
  let serving: Serving;
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
