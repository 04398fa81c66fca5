/**
 * `serve --mtls` makes a throwaway PKI and says where it is; `call` connects with it, and
 * without a client certificate gets UNAVAILABLE (exit 1) naming the problem.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePortsReference, runCli, type ServeProcess, startServe } from '../support/cli-process.js';

let server: ServeProcess;
const dir = mkdtempSync(join(tmpdir(), 'tls-cli-'));
const pem = (name: string) => join(dir, name);

beforeAll(async () => {
  server = await startServe(['--protocol', 'both', ...freePortsReference, '--mtls', '--tls-dir', dir]);
}, 40_000);

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

it('serve --mtls writes the CA and a client certificate, and says where', () => {
  for (const name of ['ca.pem', 'server.pem', 'server-key.pem', 'client.pem', 'client-key.pem'])
    expect(existsSync(pem(name)), name).toBe(true);
  expect(server.stderr()).toContain(
    `--ca ${pem('ca.pem')} --cert ${pem('client.pem')} --key ${pem('client-key.pem')}`,
  );
});

it('call with the client certificate works on both protocols; without, UNAVAILABLE and exit 1', async () => {
  const withCert = ['--ca', pem('ca.pem'), '--cert', pem('client.pem'), '--key', pem('client-key.pem')];
  const ports = ['--grpc-port', String(server.grpcPort), '--rest-port', String(server.restPort)];
  const [grpc, rest, noCert] = await Promise.all([
    runCli(['call', 'grpc', 'info', ...ports, ...withCert]),
    runCli(['call', 'rest', 'info', ...ports, ...withCert]),
    runCli(['call', 'rest', 'info', ...ports, '--ca', pem('ca.pem')]),
  ]);
  expect(grpc.code, grpc.stderr).toBe(0);
  expect(JSON.parse(grpc.stdout).sttEngine).toBe('reference');
  expect(rest.code, rest.stderr).toBe(0);
  expect(noCert.code).toBe(1);
  const error = JSON.parse(noCert.stderr.trim().split('\n').at(-1)!) as { code: string; message: string };
  expect(error.code).toBe('UNAVAILABLE');
  expect(error.message).toMatch(/requires a client certificate|refuses a client certificate that is missing/);
});

it('call --cert without --key is a usage error (exit 2)', async () => {
  const result = await runCli(['call', 'rest', 'info', '--ca', pem('ca.pem'), '--cert', pem('client.pem')]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--cert and --key go together');
});
