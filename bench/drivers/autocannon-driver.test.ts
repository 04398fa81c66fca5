import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceProblems } from '../accounting/request-counts.js';
import { runAutocannon } from './autocannon-driver.js';
import { type RealServers, startRealServers } from './driver-test-servers.js';
import { buildRequestPayload } from './request-payloads.js';

const host = '127.0.0.1';

describe('autocannon as the closed-loop engine', () => {
  let servers: RealServers;
  beforeAll(async () => {
    servers = await startRealServers();
  });
  afterAll(async () => {
    await servers?.close();
  });

  it('classify: answers checked, latencies in microseconds, counts balanced', async () => {
    const result = await runAutocannon({
      host,
      port: servers.restPort,
      payload: buildRequestPayload({ rpc: 'classify' }),
      checkEvery: 1,
      connections: 2,
      pipelining: 2,
      warmupMs: 100,
      durationMs: 400,
    });
    const { counts } = result;
    expect(balanceProblems(counts)).toEqual([]);
    expect(counts.failedByCode).toEqual({});
    expect(counts.ok).toBeGreaterThan(5);
    expect(result.problems).toEqual([]);
    const { p50, max } = result.latency.percentiles();
    expect(p50).toBeGreaterThan(10);
    expect(max).toBeLessThan(5_000_000);
    // Whole milliseconds would make every recorded value a multiple of 1000.
    expect([p50, max].some((us) => us % 1000 !== 0)).toBe(true);
    expect(result.bytesWritten).toBeGreaterThan(counts.sent * 100);
    expect(result.bytesRead).toBeGreaterThan(0);
    expect(result.durationMs).toBeGreaterThan(350);
  });

  it('transcribe with the raw WAV body', async () => {
    const result = await runAutocannon({
      host,
      port: servers.restPort,
      payload: buildRequestPayload({ rpc: 'transcribe' }),
      bodyForm: 'raw-wav',
      checkEvery: 1,
      connections: 1,
      pipelining: 1,
      warmupMs: 0,
      durationMs: 300,
    });
    expect(balanceProblems(result.counts)).toEqual([]);
    expect(result.counts.ok).toBeGreaterThan(5);
    expect(result.counts.failed).toBe(0);
  });

  it('reports answers that fail the check as WRONG_ANSWER', async () => {
    const good = buildRequestPayload({ rpc: 'classify' });
    const result = await runAutocannon({
      host,
      port: servers.restPort,
      payload: { ...good, checkJson: () => 'deliberately wrong' },
      checkEvery: 2,
      connections: 1,
      pipelining: 1,
      warmupMs: 0,
      durationMs: 300,
    });
    expect(balanceProblems(result.counts)).toEqual([]);
    expect(result.counts.failedByCode.WRONG_ANSWER).toBeGreaterThan(0);
    expect(result.counts.ok).toBeGreaterThan(0);
  });
});

describe('autocannon against a server closed mid-run', () => {
  it('answers before, UNAVAILABLE after, and the counts balance', async () => {
    const servers = await startRealServers();
    try {
      setTimeout(() => void servers.closeOne('rest'), 300);
      const result = await runAutocannon({
        host,
        port: servers.restPort,
        payload: buildRequestPayload({ rpc: 'classify' }),
        connections: 2,
        pipelining: 1,
        warmupMs: 0,
        durationMs: 900,
      });
      const { counts } = result;
      expect(balanceProblems(counts)).toEqual([]);
      expect(counts.ok).toBeGreaterThan(5);
      expect(counts.failedByCode.UNAVAILABLE ?? 0).toBeGreaterThan(0);
    } finally {
      await servers.close();
    }
  });
});
