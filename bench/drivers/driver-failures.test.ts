import { describe, expect, it } from 'vitest';
import { balanceProblems } from '../accounting/request-counts.js';
import { drive, driverCases } from './driver-cases.js';
import { startRealServers, startSilentHttp1Server, startSilentHttp2Server } from './driver-test-servers.js';
import { buildRequestPayload } from './request-payloads.js';

const payload = buildRequestPayload({ rpc: 'classify' });

describe('a server closed in the middle of a run', () => {
  for (const driverCase of driverCases) {
    it(`${driverCase.name}: answers before, UNAVAILABLE after, and the counts balance`, async () => {
      const servers = await startRealServers();
      let closing: Promise<void> | undefined;
      try {
        const port = servers.portOf(driverCase.server);
        const driver = driverCase.make(port, payload, { timeoutMs: 2_000 });
        const result = await drive(
          driver,
          { connections: 2, inFlightPerConnection: 2 },
          {
            durationMs: 1_000,
            during: () => {
              setTimeout(() => {
                closing = servers.closeOne(driverCase.server);
              }, 300);
            },
          },
        );
        const { counts } = result;
        expect(balanceProblems(counts)).toEqual([]);
        expect(counts.ok).toBeGreaterThan(5);
        expect(counts.failedByCode.UNAVAILABLE).toBeGreaterThan(0);
        expect(Object.keys(counts.failedByCode)).toEqual(['UNAVAILABLE']);
      } finally {
        await closing;
        await servers.close();
      }
    });
  }
});

describe('a server that never answers', () => {
  for (const driverCase of driverCases) {
    it(`${driverCase.name}: requests time out, and the counts balance`, async () => {
      const server =
        driverCase.server === 'rest' || driverCase.server === 'web'
          ? await startSilentHttp1Server()
          : await startSilentHttp2Server();
      try {
        const driver = driverCase.make(server.port, payload, { timeoutMs: 150 });
        const result = await drive(
          driver,
          { connections: 2, inFlightPerConnection: 1 },
          { durationMs: 500, graceMs: 1_000 },
        );
        const { counts } = result;
        expect(balanceProblems(counts)).toEqual([]);
        expect(counts.ok).toBe(0);
        expect(counts.timedOut).toBeGreaterThanOrEqual(2);
        expect(counts.timedOut).toBe(counts.sent);
      } finally {
        await server.close();
      }
    });
  }
});

describe('a server that is not there', () => {
  for (const driverCase of driverCases) {
    it(`${driverCase.name}: connect() fails with a clear message`, async () => {
      const servers = await startRealServers();
      const port = servers.portOf(driverCase.server);
      await servers.close();
      const driver = driverCase.make(port, payload, { timeoutMs: 2_000 });
      await expect(driver.connect({ connections: 1, inFlightPerConnection: 1 })).rejects.toThrow(/reach/);
    });
  }
});
