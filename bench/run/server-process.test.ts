import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { descendantsOf } from './server-process.js';

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
