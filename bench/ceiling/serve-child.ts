/** The server under test in a process of its own (optionally pinned), as in a real benchmark. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const cliPath = fileURLToPath(new URL('../../bin/grpc-rest-bench.js', import.meta.url));

export interface ServeChild {
  readonly port: number;
  stop(): Promise<void>;
}

interface ListeningLine {
  readonly event?: string;
  readonly grpc?: { readonly port: number };
  readonly rest?: { readonly port: number };
}

export async function startServeChild(protocol: 'grpc' | 'rest', pinTo?: number): Promise<ServeChild> {
  const serveArgs = [cliPath, 'serve', '--protocol', protocol, '--grpc-port', '0', '--rest-port', '0'];
  const args = [...serveArgs, '--stt', 'reference'];
  const child: ChildProcess =
    pinTo === undefined
      ? spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('taskset', ['-c', String(pinTo), process.execPath, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    for await (const line of createInterface({ input: child.stdout! })) {
      let event: ListeningLine;
      try {
        event = JSON.parse(line) as ListeningLine;
      } catch {
        continue;
      }
      if (event.event !== 'listening') continue;
      const port = protocol === 'grpc' ? event.grpc?.port : event.rest?.port;
      if (!port) break;
      return {
        port,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          await once(child, 'exit');
        },
      };
    }
  } finally {
    clearTimeout(timer);
  }
  child.kill('SIGKILL');
  throw new Error(`the ${protocol} server did not start: ${stderr}`);
}
