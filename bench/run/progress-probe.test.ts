import { describe, expect, it } from 'vitest';
import { ByteTally } from '../drivers/byte-breakdown.js';
import type { DriverConnection } from '../drivers/driver.js';
import { ProgressProbe } from './progress-probe.js';

describe('progress probe', () => {
  it('passes the byte counts and their breakdown through', () => {
    const bytes = new ByteTally();
    bytes.written.body = 7;
    const connection: DriverConnection = {
      send: async () => ({ kind: 'ok' }),
      bytesWritten: 7,
      bytesRead: 0,
      bytes,
    };
    const [wrapped] = new ProgressProbe().wrap([connection]);
    expect(wrapped!.bytesWritten).toBe(7);
    expect(wrapped!.bytes).toBe(bytes);
  });
});
