import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassifyRequest } from '../../proto/gen/speech/v1/speech.js';
import { balanceProblems } from '../accounting/request-counts.js';
import type { LoadResult } from '../load/load-result.js';
import { type DriverCase, drive, driverCases } from './driver-cases.js';
import { type RealServers, startRealServers } from './driver-test-servers.js';
import { BENCH_RPCS, buildRequestPayload, grpcFrameOf, type RequestPayload } from './request-payloads.js';

const policy = { connections: 2, inFlightPerConnection: 2 };

function portOf(servers: RealServers, driverCase: DriverCase): number {
  return servers.portOf(driverCase.server);
}

function expectHealthy(result: LoadResult, seesBytes: boolean): void {
  expect(balanceProblems(result.counts)).toEqual([]);
  expect(result.counts.failedByCode).toEqual({});
  expect(result.counts.timedOut).toBe(0);
  expect(result.counts.ok).toBeGreaterThan(5);
  expect(result.latency.count).toBe(result.counts.ok + result.counts.failed);
  const { p50, max } = result.latency.percentiles();
  expect(p50).toBeGreaterThan(10);
  expect(max).toBeLessThan(5_000_000);
  expect(result.throughput).toBeGreaterThan(0);
  if (seesBytes) {
    expect(result.bytesWritten).toBeGreaterThan(0);
    expect(result.bytesRead).toBeGreaterThan(0);
  } else {
    expect(result.bytesWritten + result.bytesRead).toBe(0);
  }
}

/** The classify payload, but asking with no labels: every protocol must answer INVALID_ARGUMENT. */
function rejectedPayload(): RequestPayload {
  const good = buildRequestPayload({ rpc: 'classify' });
  const message: ClassifyRequest = {
    text: 'lock the door',
    candidateLabels: [],
    multiLabel: false,
    hypothesisTemplate: '',
  };
  const protobuf = Buffer.from(ClassifyRequest.encode(message).finish());
  return {
    ...good,
    message,
    protobuf,
    grpcFrame: grpcFrameOf(protobuf),
    jsonBody: Buffer.from(JSON.stringify({ text: message.text, candidateLabels: [] })),
    callClient: async (client, options) => {
      await client.classify(message, options);
      return undefined;
    },
  };
}

/** The right request, with a check no answer passes. */
function suspiciousPayload(): RequestPayload {
  const good = buildRequestPayload({ rpc: 'classify' });
  return {
    ...good,
    checkProtobuf: () => 'deliberately wrong',
    checkJson: () => 'deliberately wrong',
    callClient: async (client, options, form) =>
      (await good.callClient(client, options, form)) ?? 'deliberately wrong',
  };
}

describe('drivers × closed loop against the real servers', () => {
  let servers: RealServers;
  beforeAll(async () => {
    servers = await startRealServers();
  });
  afterAll(async () => {
    await servers?.close();
  });

  for (const driverCase of driverCases) {
    for (const rpc of BENCH_RPCS) {
      it(`${driverCase.name} ${rpc}: every answer checked and right, the counts balance`, async () => {
        const payload = buildRequestPayload({ rpc });
        const driver = driverCase.make(portOf(servers, driverCase), payload, { checkEvery: 1 });
        const result = await drive(driver, policy, { warmupMs: 50, durationMs: 300 });
        expectHealthy(result, driverCase.seesBytes);
        expect(driver.checks.problems).toEqual([]);
      });
    }
  }

  for (const rpc of ['transcribe', 'transcribe-and-classify'] as const) {
    it(`rest-h1 ${rpc} with the raw WAV body`, async () => {
      const driverCase = driverCases.find((c) => c.name === 'rest-h1')!;
      const driver = driverCase.make(servers.restPort, buildRequestPayload({ rpc }), {
        checkEvery: 1,
        bodyForm: 'raw-wav',
      });
      expectHealthy(await drive(driver, policy, { durationMs: 300 }), true);
    });
  }

  it('rest-client transcribe with the raw WAV body', async () => {
    const driverCase = driverCases.find((c) => c.name === 'rest-client')!;
    const payload = buildRequestPayload({ rpc: 'transcribe' });
    const driver = driverCase.make(servers.restPort, payload, { checkEvery: 1, bodyForm: 'raw-wav' });
    expectHealthy(await drive(driver, policy, { durationMs: 300 }), false);
  });

  for (const name of ['grpc-h2', 'grpc-node-h2', 'rest-h1', 'rest-proto-h1', 'rest-h2']) {
    it(`${name} sends a 50 s clip through flow control, and counts its bytes`, async () => {
      const driverCase = driverCases.find((c) => c.name === name)!;
      const payload = buildRequestPayload({ rpc: 'transcribe', clipId: 'long-50s-errands-slt' });
      const driver = driverCase.make(portOf(servers, driverCase), payload, { checkEvery: 1 });
      const result = await drive(driver, { connections: 1, inFlightPerConnection: 3 }, { durationMs: 500 });
      expectHealthy(result, true);
      const body = name === 'rest-h1' || name === 'rest-h2' ? payload.jsonBody : payload.protobuf;
      expect(result.bytesWritten).toBeGreaterThan((result.counts.ok - 3) * body.length);
    });
  }

  for (const driverCase of driverCases) {
    it(`${driverCase.name} reports a rejected request as INVALID_ARGUMENT`, async () => {
      const driver = driverCase.make(portOf(servers, driverCase), rejectedPayload(), { checkEvery: 1 });
      const result = await drive(driver, policy, { durationMs: 200 });
      expect(balanceProblems(result.counts)).toEqual([]);
      expect(result.counts.ok).toBe(0);
      expect(Object.keys(result.counts.failedByCode)).toEqual(['INVALID_ARGUMENT']);
      expect(result.counts.failed).toBeGreaterThan(5);
    });

    it(`${driverCase.name} reports answers that fail the check as WRONG_ANSWER, sampling 1 in 4`, async () => {
      const driver = driverCase.make(portOf(servers, driverCase), suspiciousPayload(), { checkEvery: 4 });
      const result = await drive(driver, policy, { durationMs: 300 });
      const { counts } = result;
      expect(balanceProblems(counts)).toEqual([]);
      expect(counts.failedByCode.WRONG_ANSWER).toBeGreaterThan(0);
      // Only checked answers can be wrong: about a quarter, never all.
      expect(counts.ok).toBeGreaterThan(counts.failed);
      expect(driver.checks.problems).toContain('deliberately wrong');
    });
  }
});
