/**
 * Where a server's TLS comes from: the operator's files (--cert, --key, --ca), or a
 * throwaway CA, server and client certificate made for this run and written to a
 * directory so that clients (`call --ca …`) can use them.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerTls } from './server-tls.js';
import { createThrowawayPki, type ThrowawayPki } from './throwaway-certificates.js';

export interface TlsFileOptions {
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly ca?: string | undefined;
}

/** The files a throwaway PKI was written to: what a client needs to connect. */
export interface ThrowawayFiles {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

/** --cert, --key and --ca come together or not at all; problems are reported, not thrown. */
export function readTlsFiles(
  files: TlsFileOptions,
  mtls: boolean,
  problems: string[],
): ServerTls | undefined {
  const given = (['cert', 'key', 'ca'] as const).filter((name) => files[name] !== undefined);
  if (given.length === 0) return undefined;
  if (given.length < 3) {
    problems.push(
      `--cert, --key and --ca go together (given: ${given.map((name) => `--${name}`).join(', ')}); leave all three out for throwaway certificates`,
    );
    return undefined;
  }
  const read = (name: 'cert' | 'key' | 'ca'): string => {
    try {
      return readFileSync(files[name]!, 'utf8');
    } catch (error) {
      problems.push(`cannot read --${name} ${files[name]}: ${(error as Error).message}`);
      return '';
    }
  };
  return { cert: read('cert'), key: read('key'), ca: read('ca'), mtls };
}

/** Writes `pki` into `dir` (a fresh temporary directory when not given); keys readable by the owner only. */
export function writeThrowawayPki(pki: ThrowawayPki, dir?: string): ThrowawayFiles {
  const target = dir ?? mkdtempSync(join(tmpdir(), 'grpc-rest-bench-tls-'));
  const files: ThrowawayFiles = {
    dir: target,
    ca: join(target, 'ca.pem'),
    serverCert: join(target, 'server.pem'),
    serverKey: join(target, 'server-key.pem'),
    clientCert: join(target, 'client.pem'),
    clientKey: join(target, 'client-key.pem'),
  };
  writeFileSync(files.ca, pki.ca.cert);
  writeFileSync(files.serverCert, pki.server.cert);
  writeFileSync(files.clientCert, pki.client.cert);
  for (const [path, pem] of [
    [files.serverKey, pki.server.key],
    [files.clientKey, pki.client.key],
  ] as const) {
    writeFileSync(path, pem, { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  return files;
}

/** A throwaway PKI for this run, written out, and the server's side of it. */
export function throwawayServerTls(mtls: boolean, dir?: string): { tls: ServerTls; files: ThrowawayFiles } {
  const pki = createThrowawayPki();
  return {
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, mtls },
    files: writeThrowawayPki(pki, dir),
  };
}
