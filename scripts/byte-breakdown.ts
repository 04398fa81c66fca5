/**
 * Prints where each variant's bytes go per call, measured by the drivers' own counts
 * (bench/drivers/byte-breakdown.ts): one connection, calls one after another, against
 * the real servers in this process. `tsx scripts/byte-breakdown.ts [calls]`.
 */
import type { ByteParts } from '../bench/drivers/byte-breakdown.js';
import { byteCountCases, runCalls } from '../bench/drivers/byte-count-cases.js';
import { startRealServers } from '../bench/drivers/driver-test-servers.js';
import { buildRequestPayload } from '../bench/drivers/request-payloads.js';

const calls = Number(process.argv[2] ?? 100);
const servers = await startRealServers();
const perCall = (n: number) => (n / calls).toFixed(1).padStart(9);
const row = (parts: ByteParts) =>
  `${perCall(parts.body)} ${perCall(parts.framing)} ${perCall(parts.headers)} ${perCall(parts.control)}`;
console.log(
  `bytes per call over ${calls} calls on one connection (control: the connection's, spread over them)`,
);
console.log(
  `${'variant'.padEnd(15)} ${'rpc'.padEnd(11)} dir  ${['body', 'framing', 'headers', 'control', 'socket'].map((h) => h.padStart(9)).join(' ')}`,
);
try {
  for (const byteCase of byteCountCases) {
    for (const rpc of byteCase.rpcs) {
      const driver = byteCase.make(servers, buildRequestPayload({ rpc }));
      try {
        const { outcomes, connection } = await runCalls(driver, calls);
        const failed = outcomes.filter((outcome) => outcome.kind !== 'ok').length;
        if (failed > 0) throw new Error(`${byteCase.variant} ${rpc}: ${failed} calls failed`);
        const bytes = connection.bytes!;
        const name = `${byteCase.variant.padEnd(15)} ${rpc.padEnd(11)}`;
        console.log(`${name} out  ${row(bytes.written)} ${perCall(connection.bytesWritten)}`);
        console.log(`${name} in   ${row(bytes.read)} ${perCall(connection.bytesRead)}`);
      } finally {
        await driver.close();
      }
    }
  }
} finally {
  await servers.close();
}
