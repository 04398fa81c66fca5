import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpenLoop } from '../load/open-loop.js';
import { type ByteParts, partsTotal } from './byte-breakdown.js';
import { byteCountCases, runCalls } from './byte-count-cases.js';
import { drive } from './driver-cases.js';
import { type RealServers, startRealServers } from './driver-test-servers.js';
import { buildRequestPayload } from './request-payloads.js';
import { http1RequestBytes } from './rest-h1-driver.js';

const calls = 20;
const okOnly = { kind: 'ok' } as const;

describe('byte breakdown: the parts add up to the socket bytes', () => {
  let servers: RealServers;
  beforeAll(async () => {
    servers = await startRealServers();
  });
  afterAll(async () => {
    await servers?.close();
  });

  for (const byteCase of byteCountCases) {
    for (const rpc of byteCase.rpcs) {
      it(`${byteCase.variant} ${rpc}: body + framing + headers + control = bytes written and read`, async () => {
        const driver = byteCase.make(servers, buildRequestPayload({ rpc }), { checkEvery: 1 });
        try {
          const { outcomes, connection } = await runCalls(driver, calls);
          expect(outcomes).toEqual(Array(calls).fill(okOnly));
          const bytes = connection.bytes!;
          expect(partsTotal(bytes.written)).toBe(connection.bytesWritten);
          expect(partsTotal(bytes.read)).toBe(connection.bytesRead);
          expect(bytes.written.body).toBeGreaterThan(0);
          expect(bytes.read.body).toBeGreaterThan(0);
          expect(bytes.read.headers).toBeGreaterThan(0);
        } finally {
          await driver.close();
        }
      });
    }

    it(`${byteCase.variant} under load: the window's parts add up to the window's bytes`, async () => {
      const payload = buildRequestPayload({ rpc: byteCase.rpcs[0]! });
      const driver = byteCase.make(servers, payload);
      const result = await drive(
        driver,
        { connections: 2, inFlightPerConnection: 4 },
        { warmupMs: 50, durationMs: 300 },
      );
      const breakdown = result.bytesBreakdown!;
      expect(result.counts.ok).toBeGreaterThan(5);
      expect(partsTotal(breakdown.written)).toBe(result.bytesWritten);
      expect(partsTotal(breakdown.read)).toBe(result.bytesRead);
    });
  }

  it('grpc in an open loop: the parts of each stage add up to its bytes', async () => {
    const driver = byteCountCases[0]!.make(servers, buildRequestPayload({ rpc: 'classify' }));
    const connections = await driver.connect({ connections: 2, inFlightPerConnection: 4 });
    try {
      const result = await runOpenLoop(connections, {
        ratePerSecond: 500,
        inFlightPerConnection: 4,
        warmupMs: 50,
        durationMs: 300,
      });
      const breakdown = result.bytesBreakdown!;
      expect(result.counts.ok).toBeGreaterThan(50);
      expect(partsTotal(breakdown.written)).toBe(result.bytesWritten);
      expect(partsTotal(breakdown.read)).toBe(result.bytesRead);
    } finally {
      await driver.close();
    }
  });

  const exact = (variant: string) => byteCountCases.find((c) => c.variant === variant)!;

  it('rest-json-h1 classify: the request head and body exactly, no framing, no control', async () => {
    const payload = buildRequestPayload({ rpc: 'classify' });
    const driver = exact('rest-json-h1').make(servers, payload);
    try {
      const { connection } = await runCalls(driver, calls);
      const request = http1RequestBytes({ host: '127.0.0.1', port: servers.restPort, payload });
      const head = request.length - payload.jsonBody.length;
      // The head as text: request line, Host, content-type, Content-Length, the blank line.
      expect(request.toString('latin1', 0, head)).toMatch(
        /^POST \/v1\/classify HTTP\/1\.1\r\n[\s\S]*\r\n\r\n$/,
      );
      expect(connection.bytes!.written).toEqual({
        body: calls * payload.jsonBody.length,
        framing: 0,
        headers: calls * head,
        control: 0,
      } satisfies ByteParts);
      // Every answer has the same head and a Content-Length body: whole multiples of the calls.
      expect(connection.bytes!.read.headers % calls).toBe(0);
      expect(connection.bytes!.read.body % calls).toBe(0);
    } finally {
      await driver.close();
    }
  });

  it('grpc classify: the protobuf per call as body, prefix and frame headers as framing', async () => {
    const payload = buildRequestPayload({ rpc: 'classify' });
    const driver = exact('grpc').make(servers, payload);
    try {
      const { connection } = await runCalls(driver, calls);
      const { written, read } = connection.bytes!;
      expect(written.body).toBe(calls * payload.protobuf.length);
      // HEADERS and DATA frame headers and the 5-byte message prefix, per call.
      expect(written.framing).toBe(calls * (9 + 9 + 5));
      // Answers: HEADERS, DATA with one prefixed message, HEADERS with the trailers.
      expect(read.framing).toBe(calls * (9 + 9 + 5 + 9));
      // Preface, SETTINGS, WINDOW_UPDATE and the SETTINGS ack at least.
      expect(written.control).toBeGreaterThanOrEqual(24 + 9 + 12 + 13 + 9);
    } finally {
      await driver.close();
    }
  });

  it('rest-json-h2 classify: the JSON per call as body, two frame headers per request', async () => {
    const payload = buildRequestPayload({ rpc: 'classify' });
    const driver = exact('rest-json-h2').make(servers, payload);
    try {
      const { connection } = await runCalls(driver, calls);
      expect(connection.bytes!.written.body).toBe(calls * payload.jsonBody.length);
      expect(connection.bytes!.written.framing).toBe(calls * 18);
    } finally {
      await driver.close();
    }
  });
});
