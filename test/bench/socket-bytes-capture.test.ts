/**
 * Issue #6's acceptance: the transport drivers' socket byte counts, from connect to
 * close, agree with a packet capture of the same run within 2%, each way.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partsTotal, sumBreakdowns } from '../../bench/drivers/byte-breakdown.js';
import { byteCountCases } from '../../bench/drivers/byte-count-cases.js';
import { type RealServers, startRealServers } from '../../bench/drivers/driver-test-servers.js';
import { buildRequestPayload } from '../../bench/drivers/request-payloads.js';
import { runClosedLoop } from '../../bench/load/closed-loop.js';
import { type Capture, captureProblem, installHint, startCapture } from '../support/packet-capture.js';

const tolerance = 0.02;
const policy = { connections: 2, inFlightPerConnection: 4 };
const problem = captureProblem();
if (problem) console.log(`socket-bytes-capture skipped: ${problem}. To run it: ${installHint}`);

function difference(counted: number, captured: number): number {
  return captured === 0 ? Number.POSITIVE_INFINITY : Math.abs(counted - captured) / captured;
}

describe.skipIf(problem !== undefined)('socket byte counts against a tshark capture on loopback', () => {
  let servers: RealServers;
  beforeAll(async () => {
    servers = await startRealServers();
  });
  afterAll(async () => {
    await servers?.close();
  });

  for (const byteCase of byteCountCases) {
    for (const rpc of byteCase.rpcs) {
      it(`${byteCase.variant} ${rpc}: bytes written and read match the capture within 2%`, async () => {
        const driver = byteCase.make(servers, buildRequestPayload({ rpc }));
        const port = servers.portOf(byteCase.server);
        let capture: Capture | undefined;
        try {
          capture = await startCapture(port);
          // From connect, so the preface and SETTINGS exchanges count on both sides.
          const connections = await driver.connect(policy);
          const result = await runClosedLoop(connections, {
            inFlightPerConnection: policy.inFlightPerConnection,
            warmupMs: 0,
            durationMs: 300,
            graceMs: 2_000,
          });
          // Let the last control frames land, then count before closing (a closed socket sends no payload).
          await sleep(50);
          let written = 0;
          let read = 0;
          for (const connection of connections) {
            written += connection.bytesWritten;
            read += connection.bytesRead;
          }
          const breakdown = sumBreakdowns(connections)!;
          await driver.close();
          await sleep(50);
          const captured = await capture.stop();
          console.log(
            `${byteCase.variant} ${rpc}: ${result.counts.ok} calls; written ${written} vs captured ${captured.toPort} ` +
              `(${(100 * (written / captured.toPort - 1)).toFixed(3)}%), read ${read} vs captured ${captured.fromPort} ` +
              `(${(100 * (read / captured.fromPort - 1)).toFixed(3)}%), ${captured.packets} packets, ` +
              `${captured.segmentBytes - captured.toPort - captured.fromPort} bytes resent`,
          );
          expect(result.counts.ok).toBeGreaterThan(5);
          expect(difference(written, captured.toPort)).toBeLessThanOrEqual(tolerance);
          expect(difference(read, captured.fromPort)).toBeLessThanOrEqual(tolerance);
          expect(partsTotal(breakdown.written)).toBe(written);
          expect(partsTotal(breakdown.read)).toBe(read);
        } finally {
          await driver.close();
          capture?.dispose();
        }
      });
    }
  }
});
