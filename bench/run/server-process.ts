import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ClassifierChoice } from '../../servers/engines/classify/classifier-choices.js';
import type { ProcessHealth } from '../../servers/process-health.js';
import { type ServerProtocol, serverProtocolInfo } from '../../servers/server-protocols.js';
import type { TuningName } from '../../servers/tuning.js';
import type { RunServer } from './run-server.js';

const cliPath = fileURLToPath(new URL('../../bin/grpc-rest-bench.js', import.meta.url));

export interface ServerProcessOptions {
  readonly protocol: ServerProtocol;
  readonly host: string;
  readonly stt: string;
  readonly realTimeFactor: number;
  /** A deliberate slow-down of every unary call (tests of the regression gate). */
  readonly injectedDelayMs?: number;
  /** µs of CPU burned in every unary call (verdict calibration: a known extra cost per request). */
  readonly injectedCpuUs?: number;
  /** The reference engine's burn rate, the same for every server of a run (CpuBurner). */
  readonly burnRate?: number;
  /** Server processes sharing the port (`serve --workers`); 1 = the primary serves alone. */
  readonly workers?: number;
  /** UV_THREADPOOL_SIZE of the server (and of each worker, which inherits it); default Node's 4. */
  readonly engineThreads?: number;
  /** `serve --tuning`; default when absent. */
  readonly tuning?: TuningName;
  /** `serve --classifier`; serve's default (words) when absent. */
  readonly classifier?: ClassifierChoice;
  /** A CPU list for `taskset -c`, or undefined for no pinning. */
  readonly cpus?: string;
  /** Node's own flags for the server process, before the script (server-node-flags.ts). */
  readonly nodeFlags?: readonly string[];
  readonly startTimeoutMs?: number;
  /** Serve TLS with these PEM files (server authentication only). */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca: string };
  /** 0 (default): a free port; a restarted server asks for its old one. */
  readonly port?: number;
  /** More `serve` options, such as connection limits (`--request-timeout-ms 2000`). */
  readonly serveArgs?: readonly string[];
}

export interface ResourceSample {
  /** User + system CPU time of the process tree (primary and workers), in microseconds. */
  readonly cpuUs: number;
  /**
   * Peak resident set size so far (VmHWM), summed over the tree: each worker holds its own
   * heap and engines, so the sum is what the service costs (an upper bound, as the peaks
   * need not coincide).
   */
  readonly peakRssBytes: number;
  /** Resident set size now (VmRSS). */
  readonly rssBytes: number;
}

/** Linux reports CPU times in clock ticks, 100 per second on every mainstream kernel. */
const clockTicksPerSecond = 100;

/** A server in a process of its own, so that the driver never shares its event loop or heap. */
export class ServerProcess implements RunServer {
  /** Answers to `health` requests come back in order, one line each. */
  private readonly healthWaiters: ((health: ProcessHealth | undefined) => void)[] = [];

  private constructor(
    readonly child: ChildProcess,
    /** Where the run reaches it: the address it was told to bind. */
    readonly host: string,
    readonly port: number,
    readonly engine: string,
    private readonly stderr: () => string,
    private readonly options: ServerProcessOptions,
  ) {
    child.once('exit', () => {
      for (const waiter of this.healthWaiters.splice(0)) waiter(undefined);
    });
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const serveArgs = [
      cliPath,
      'serve',
      '--protocol',
      options.protocol,
      '--host',
      options.host,
      `--${serverProtocolInfo[options.protocol].portOption}`,
      String(options.port ?? 0),
      '--stt',
      options.stt,
      '--rtf',
      String(options.realTimeFactor),
      '--inject-delay-ms',
      String(options.injectedDelayMs ?? 0),
      '--inject-cpu-us',
      String(options.injectedCpuUs ?? 0),
      '--stop-with-parent',
      '--workers',
      String(options.workers ?? 1),
      ...(options.tls ? ['--cert', options.tls.cert, '--key', options.tls.key, '--ca', options.tls.ca] : []),
      ...(options.serveArgs ?? []),
      ...(options.burnRate === undefined ? [] : ['--burn-rate', String(options.burnRate)]),
      ...(options.classifier === undefined ? [] : ['--classifier', options.classifier]),
      ...(options.tuning === undefined ? [] : ['--tuning', options.tuning]),
    ];
    const node = [process.execPath, ...(options.nodeFlags ?? []), ...serveArgs];
    const [command, args] = options.cpus
      ? ['taskset', ['-c', options.cpus, ...node]]
      : [node[0]!, node.slice(1)];
    // stdin stays open as a lifeline: should this process die, the server sees it end and stops.
    const env =
      options.engineThreads === undefined
        ? process.env
        : { ...process.env, UV_THREADPOOL_SIZE: String(options.engineThreads) };
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timeout = setTimeout(() => child.kill('SIGKILL'), options.startTimeoutMs ?? 60_000);
    // One reader for the child's whole life: the listening line first, health answers later.
    const lines = createInterface({ input: child.stdout! });
    let server: ServerProcess | undefined;
    try {
      const listening = await new Promise<{ port: number; stt: string } | undefined>((resolve) => {
        lines.on('line', (line) => {
          const event = parseEvent(line);
          if (server) {
            if (event?.event === 'health') server.healthWaiters.shift()?.(event as unknown as ProcessHealth);
            return;
          }
          if (event?.event !== 'listening') return;
          const port = (event[serverProtocolInfo[options.protocol].eventKey] as { port?: number } | undefined)
            ?.port;
          resolve(port ? { port, stt: String(event.stt) } : undefined);
        });
        lines.once('close', () => resolve(undefined));
      });
      if (listening) {
        server = new ServerProcess(child, options.host, listening.port, listening.stt, () => stderr, options);
        return server;
      }
    } finally {
      clearTimeout(timeout);
    }
    throw new Error(`the ${options.protocol} server did not start: ${stderr.trim()}`);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** CPU time and peak memory of the server and its workers, read from /proc (Linux). */
  sample(): ResourceSample | undefined {
    const own = sampleProcess(this.pid);
    if (!own) return undefined;
    let { cpuUs, peakRssBytes, rssBytes } = own;
    for (const pid of descendantsOf(this.pid)) {
      const sample = sampleProcess(pid);
      cpuUs += sample?.cpuUs ?? 0;
      peakRssBytes += sample?.peakRssBytes ?? 0;
      rssBytes += sample?.rssBytes ?? 0;
    }
    return { cpuUs, peakRssBytes, rssBytes };
  }

  /**
   * The server's event-loop delay since the previous call (and its memory), asked over
   * the stdin pipe; undefined once the process has gone. The first call starts the watch.
   */
  health(timeoutMs = 5_000, options: { afterGc?: boolean } = {}): Promise<ProcessHealth | undefined> {
    if (this.child.exitCode !== null || this.child.signalCode !== null || !this.child.stdin?.writable)
      return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const index = this.healthWaiters.indexOf(answer);
        // Left in place, a late answer would go to the next caller: keep the queue aligned.
        if (index >= 0) this.healthWaiters[index] = () => {};
        resolve(undefined);
      }, timeoutMs);
      const answer = (health: ProcessHealth | undefined) => {
        clearTimeout(timer);
        resolve(health);
      };
      this.healthWaiters.push(answer);
      this.child.stdin!.write(options.afterGc ? 'health after gc\n' : 'health\n');
    });
  }

  get log(): string {
    return this.stderr();
  }

  /** Kills the server outright (SIGKILL: no draining, no GOAWAY), as a crash would. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await once(this.child, 'exit');
  }

  /** A new server process with the same settings on the same port (after `kill` or `stop`). */
  restart(): Promise<ServerProcess> {
    return ServerProcess.start({ ...this.options, port: this.port });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await once(this.child, 'exit');
    clearTimeout(timer);
  }
}

function sampleProcess(pid: number): ResourceSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces, start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
    return {
      cpuUs: (ticks * 1_000_000) / clockTicksPerSecond,
      peakRssBytes: kilobytes('VmHWM') * 1024,
      rssBytes: kilobytes('VmRSS') * 1024,
    };
  } catch {
    return undefined;
  }
}

function parseEvent(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Every process below `pid`, through each thread's children list (a worker may exit meanwhile). */
export function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  // Bounded: a process tree deeper or wider than this is not a server of ours.
  while (queue.length > 0 && found.length < 1024) {
    const parent = queue.shift()!;
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${parent}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      let children: string;
      try {
        children = readFileSync(`/proc/${parent}/task/${tid}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(' ').filter(Boolean).map(Number)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}
