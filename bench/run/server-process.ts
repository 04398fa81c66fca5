import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type ServerProtocol, serverProtocolInfo } from '../../servers/server-protocols.js';

const cliPath = fileURLToPath(new URL('../../bin/grpc-rest-bench.js', import.meta.url));

export interface ServerProcessOptions {
  readonly protocol: ServerProtocol;
  readonly host: string;
  readonly stt: string;
  readonly realTimeFactor: number;
  /** A deliberate slow-down of every unary call (tests of the regression gate). */
  readonly injectedDelayMs?: number;
  /** The reference engine's burn rate, the same for every server of a run (CpuBurner). */
  readonly burnRate?: number;
  /** Server processes sharing the port (`serve --workers`); 1 = the primary serves alone. */
  readonly workers?: number;
  /** A CPU list for `taskset -c`, or undefined for no pinning. */
  readonly cpus?: string;
  readonly startTimeoutMs?: number;
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
}

/** Linux reports CPU times in clock ticks, 100 per second on every mainstream kernel. */
const clockTicksPerSecond = 100;

/** A server in a process of its own, so that the driver never shares its event loop or heap. */
export class ServerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly engine: string,
    private readonly stderr: () => string,
  ) {}

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const serveArgs = [
      cliPath,
      'serve',
      '--protocol',
      options.protocol,
      '--host',
      options.host,
      `--${serverProtocolInfo[options.protocol].portOption}`,
      '0',
      '--stt',
      options.stt,
      '--rtf',
      String(options.realTimeFactor),
      '--inject-delay-ms',
      String(options.injectedDelayMs ?? 0),
      '--stop-with-parent',
      '--workers',
      String(options.workers ?? 1),
      ...(options.burnRate === undefined ? [] : ['--burn-rate', String(options.burnRate)]),
    ];
    const [command, args] = options.cpus
      ? ['taskset', ['-c', options.cpus, process.execPath, ...serveArgs]]
      : [process.execPath, serveArgs];
    // stdin stays open as a lifeline: should this process die, the server sees it end and stops.
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timeout = setTimeout(() => child.kill('SIGKILL'), options.startTimeoutMs ?? 60_000);
    try {
      for await (const line of createInterface({ input: child.stdout! })) {
        const event = JSON.parse(line) as { event?: string; stt: string } & Record<string, { port?: number }>;
        if (event.event !== 'listening') continue;
        const port = event[serverProtocolInfo[options.protocol].eventKey]?.port;
        if (!port) break;
        return new ServerProcess(child, port, event.stt, () => stderr);
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
    let { cpuUs, peakRssBytes } = own;
    for (const pid of descendantsOf(this.pid)) {
      const sample = sampleProcess(pid);
      cpuUs += sample?.cpuUs ?? 0;
      peakRssBytes += sample?.peakRssBytes ?? 0;
    }
    return { cpuUs, peakRssBytes };
  }

  get log(): string {
    return this.stderr();
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
    const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
    return { cpuUs: (ticks * 1_000_000) / clockTicksPerSecond, peakRssBytes: peakKb * 1024 };
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
