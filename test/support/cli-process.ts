import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const cliPath = fileURLToPath(new URL('../../bin/grpc-rest-bench.js', import.meta.url));

/** `serve` on free ports (gRPC and REST over HTTP/1.1), with the reference engine unless more args say otherwise. */
export const freePorts = ['--grpc-port', '0', '--rest-port', '0'] as const;
export const freePortsReference = [...freePorts, '--stt', 'reference'] as const;

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI to completion (bounded by a timeout). */
export function runCli(args: readonly string[], timeoutMs = 30_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `serve`'s one line on stdout once it listens. */
export interface ListeningEvent {
  readonly event: 'listening';
  readonly stt: string;
  readonly grpc?: { readonly port: number };
  readonly rest?: { readonly port: number };
  readonly tls?: { readonly ca?: string };
  /** With --workers N: their pids. */
  readonly workers?: readonly number[];
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly listening: ListeningEvent;
  readonly grpcPort: number;
  readonly restPort: number;
  readonly stt: string;
  readonly stderr: () => string;
  /** Whatever came on stdout after the listening line (nothing should). */
  readonly laterStdout: () => string;
  stop(): Promise<number | null>;
}

/** Starts `serve` in its own process and waits for its `listening` line. */
export async function startServe(args: readonly string[], timeoutMs = 30_000): Promise<ServeProcess> {
  // stdin is a pipe held open, as a parent's would be: `--stop-with-parent` stops when it ends.
  const child = spawn(process.execPath, [cliPath, 'serve', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    for await (const line of lines) {
      const event = JSON.parse(line) as ListeningEvent;
      if (event.event !== 'listening') continue;
      clearTimeout(timer);
      // Leaving the loop closes the line reader; the stream itself goes on.
      let laterStdout = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        laterStdout += chunk.toString();
      });
      return {
        child,
        listening: event,
        grpcPort: event.grpc?.port ?? 0,
        restPort: event.rest?.port ?? 0,
        stt: event.stt,
        stderr: () => stderr,
        laterStdout: () => laterStdout,
        async stop() {
          if (child.exitCode !== null) return child.exitCode;
          child.kill('SIGTERM');
          const [code] = await once(child, 'exit');
          return code as number | null;
        },
      };
    }
  } finally {
    clearTimeout(timer);
  }
  throw new Error(`serve exited before listening: ${stderr}`);
}
