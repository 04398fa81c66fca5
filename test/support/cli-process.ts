import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const cliPath = fileURLToPath(new URL('../../bin/grpc-rest-bench.js', import.meta.url));

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

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly grpcPort: number;
  readonly restPort: number;
  readonly stt: string;
  readonly stderr: () => string;
  stop(): Promise<number | null>;
}

/** Starts `serve` in its own process and waits for its `listening` line. */
export async function startServe(args: readonly string[], timeoutMs = 30_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliPath, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    for await (const line of lines) {
      const event = JSON.parse(line) as {
        event: string;
        stt: string;
        grpc?: { port: number };
        rest?: { port: number };
      };
      if (event.event !== 'listening') continue;
      clearTimeout(timer);
      return {
        child,
        grpcPort: event.grpc?.port ?? 0,
        restPort: event.rest?.port ?? 0,
        stt: event.stt,
        stderr: () => stderr,
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
