import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { descendantsOf, ServerProcess } from './server-process.js';

describe('the server process tree', () => {
  it('finds children and grandchildren, which sample() adds to the server’s CPU and memory', async () => {
    // A shell with a child that has a child of its own: the shape of primary, worker, helper.
    const root = spawn('sh', ['-c', 'sh -c "sleep 30 & wait" & sleep 30 & wait'], { stdio: 'ignore' });
    try {
      let found: number[] = [];
      const end = Date.now() + 5_000;
      while (Date.now() < end && found.length < 3) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        found = descendantsOf(root.pid!);
      }
      // Below the root: the inner sh, its sleep (a grandchild) and the outer sleep.
      expect(found).toHaveLength(3);
      expect(found).not.toContain(root.pid);
    } finally {
      for (const pid of descendantsOf(root.pid!)) process.kill(pid, 'SIGKILL');
      root.kill('SIGKILL');
      await once(root, 'exit');
    }
  });

  it('finds nothing below a process that is gone', () => {
    expect(descendantsOf(2 ** 22 + 1)).toEqual([]);
  });
});

describe('a server process', () => {
  it('serves with the classifier it was given', { timeout: 60_000 }, async () => {
    const server = await ServerProcess.start({
      protocol: 'rest',
      host: '127.0.0.1',
      stt: 'reference',
      realTimeFactor: 0,
      classifier: 'sentence',
    });
    try {
      const info = (await (await fetch(`http://127.0.0.1:${server.port}/v1/info`)).json()) as {
        classifier: string;
      };
      expect(info.classifier).toBe('sentence-use+sg100d');
    } finally {
      await server.stop();
    }
  });
});
