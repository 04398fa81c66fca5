/** Runs our-driver-run.ts in a child process (pinned like the tools) and reads its result. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { OurRunRequest, OurRunResult, RunMeasurement } from './ceiling-types.js';

const ourRunPath = fileURLToPath(new URL('./our-driver-run.ts', import.meta.url));

function measurementOf(result: OurRunResult): RunMeasurement {
  const { counts } = result;
  const unsuccessful = counts.failed + counts.timedOut + counts.cancelled;
  const notes = [
    ...(unsuccessful > 0 ? [`ours: ${JSON.stringify(counts)}`] : []),
    ...result.problems.map((problem) => `ours: ${problem}`),
  ];
  return { requestsPerSecond: result.requestsPerSecond, unsuccessful, notes, cpuBusy: result.cpuBusy };
}

/**
 * With `onConnected`, the child opens its connections, then waits: `onConnected` starts
 * whatever must run alongside, and the child's load starts at the same moment.
 */
export async function runOurDriver(
  request: OurRunRequest,
  pinTo: number | undefined,
  onConnected?: () => void,
): Promise<RunMeasurement> {
  const args = [
    '--import',
    'tsx',
    ourRunPath,
    JSON.stringify({ ...request, gated: onConnected !== undefined }),
  ];
  const child =
    pinTo === undefined
      ? spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn('taskset', ['-c', String(pinTo), process.execPath, ...args], {
          stdio: ['pipe', 'pipe', 'pipe'],
        });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let result: OurRunResult | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    if (!line.startsWith('{')) continue;
    const message = JSON.parse(line) as OurRunResult | { event: 'connected' };
    if ('event' in message) {
      onConnected?.();
      child.stdin.write('go\n');
    } else result = message;
  }
  const code = await exited;
  if (code !== 0 || !result) throw new Error(`our ${request.driver} run failed (exit ${code}): ${stderr}`);
  return measurementOf(result);
}
