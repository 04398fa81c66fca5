/**
 * The reference load generators, h2load (nghttp2) and wrk, run against our servers and
 * read from their text reports. Their numbers are the ceiling our drivers are held to.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { RunMeasurement } from './ceiling-types.js';

export const installHint = 'apt-get install -y nghttp2-client wrk';

const versionFlag: Record<string, string> = { h2load: '--version', wrk: '-v', taskset: '--version' };

/** Whether the command can be started at all (wrk exits non-zero even for -v). */
export function toolAvailable(tool: 'h2load' | 'wrk' | 'taskset'): boolean {
  return spawnSync(tool, [versionFlag[tool]!], { stdio: 'ignore' }).error === undefined;
}

export interface ToolOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; `pinTo` prefixes it with taskset. */
export function runTool(command: string, args: readonly string[], pinTo?: number): Promise<ToolOutput> {
  const [file, argv] =
    pinTo === undefined ? [command, args] : ['taskset', ['-c', String(pinTo), command, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function numberAfter(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * h2load sees HTTP statuses only: a gRPC error is a 200 with a non-zero grpc-status
 * trailer, invisible to it. Our driver checks the same request first, so an error
 * there would show on our side of the pair.
 */
export function parseH2load(output: string): RunMeasurement {
  const rps = numberAfter(output, /finished in [\d.]+m?s, ([\d.]+) req\/s/);
  if (rps === undefined) throw new Error(`no "finished in …, N req/s" line in h2load's output:\n${output}`);
  const requests =
    /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(
      output,
    );
  const statuses = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(output);
  const notes: string[] = [];
  let unsuccessful = 0;
  if (requests) {
    const [failed, errored, timeout] = [Number(requests[5]), Number(requests[6]), Number(requests[7])];
    unsuccessful = failed + errored + timeout;
    if (unsuccessful > 0) notes.push(`h2load: ${failed} failed, ${errored} errored, ${timeout} timed out`);
  } else notes.push('h2load: no "requests:" line');
  if (statuses && Number(statuses[3]) + Number(statuses[4]) > 0) {
    notes.push(`h2load: ${statuses[3]} 4xx, ${statuses[4]} 5xx`);
  }
  return { requestsPerSecond: rps, unsuccessful, notes };
}

export function parseWrk(output: string): RunMeasurement {
  const rps = numberAfter(output, /Requests\/sec:\s+([\d.]+)/);
  if (rps === undefined) throw new Error(`no "Requests/sec:" line in wrk's output:\n${output}`);
  const notes: string[] = [];
  const non2xx = numberAfter(output, /Non-2xx or 3xx responses:\s+(\d+)/) ?? 0;
  if (non2xx > 0) notes.push(`wrk: ${non2xx} non-2xx/3xx responses`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  if (socket && socketErrors > 0) notes.push(`wrk: ${socket[0]}`);
  return { requestsPerSecond: rps, unsuccessful: non2xx + socketErrors, notes };
}

/** wrk's Lua: a long bracket keeps the JSON's quotes and backslashes as they are. */
export function wrkScript(jsonBody: string): string {
  if (jsonBody.includes(']==]')) throw new Error('the JSON body cannot be quoted for Lua');
  return [
    'wrk.method = "POST"',
    `wrk.body = [==[${jsonBody}]==]`,
    'wrk.headers["Content-Type"] = "application/json"',
    '',
  ].join('\n');
}

/**
 * A wrk script for any HTTP/1.1 request (the web server's Connect and gRPC-Web bodies):
 * path, headers and a body of any bytes, spelled as Lua decimal escapes.
 */
export function wrkRequestScript(request: {
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
}): string {
  const body = Array.from(request.body, (byte) => `\\${String(byte).padStart(3, '0')}`).join('');
  return [
    'wrk.method = "POST"',
    `wrk.path = "${request.path}"`,
    `wrk.body = "${body}"`,
    ...request.headers.map(([name, value]) => `wrk.headers["${name}"] = "${value}"`),
    '',
  ].join('\n');
}

/** What both sides of a pair are given. */
export interface LoadShape {
  readonly port: number;
  readonly connections: number;
  /** Streams per connection (h2load's -m); wrk always has one request in flight per connection. */
  readonly streams: number;
  readonly warmupS: number;
  readonly durationS: number;
  readonly pinTo: number | undefined;
}

/** h2load with its own warm-up, posting the framed request to the Classify method. */
export async function runH2load(shape: LoadShape, bodyFile: string): Promise<RunMeasurement> {
  const args = ['-c', String(shape.connections), '-m', String(shape.streams), '-t', '1'];
  args.push('-D', String(shape.durationS), `--warm-up-time=${shape.warmupS}`, '-d', bodyFile);
  args.push('-H', 'content-type: application/grpc', '-H', 'te: trailers');
  args.push(`http://127.0.0.1:${shape.port}/speech.v1.SpeechService/Classify`);
  const output = await runTool('h2load', args, shape.pinTo);
  return parseH2load(output.stdout + output.stderr);
}

/** One wrk run of `seconds`, posting the script's body to /v1/classify. */
export async function runWrk(shape: LoadShape, script: string, seconds: number): Promise<RunMeasurement> {
  const args = [
    '-t1',
    '-c',
    String(shape.connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    '10s',
    '-s',
    script,
  ];
  const output = await runTool('wrk', [...args, `http://127.0.0.1:${shape.port}/v1/classify`], shape.pinTo);
  return parseWrk(output.stdout + output.stderr);
}
