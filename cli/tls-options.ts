/** The TLS flags of `serve` and `call`, read and checked with every problem reported at once. */
import { readFileSync } from 'node:fs';
import type { ClientTls } from '../clients/client-tls.js';
import type { ServerTls } from '../servers/tls/server-tls.js';
import { readTlsFiles, type ThrowawayFiles, throwawayServerTls } from '../servers/tls/tls-material.js';

export const serveTlsOptions = {
  tls: { type: 'boolean', default: false },
  mtls: { type: 'boolean', default: false },
  cert: { type: 'string' },
  key: { type: 'string' },
  ca: { type: 'string' },
  'tls-dir': { type: 'string' },
} as const;

export const serveTlsUsage = `  --tls                       serve every protocol over TLS (HTTP/2 ones with ALPN h2); without
                              --cert/--key/--ca, a throwaway CA, server and client certificate are
                              made for this run and written to --tls-dir (default: a new temp dir)
  --mtls                      TLS and require a client certificate signed by the CA
  --cert FILE --key FILE --ca FILE   the server's certificate and key (PEM), and the CA for clients`;

export interface ServeTlsValues {
  readonly tls: boolean;
  readonly mtls: boolean;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly ca?: string | undefined;
  readonly 'tls-dir'?: string | undefined;
}

/** What `serve` was asked for: no TLS, the operator's files, or a throwaway PKI to make once the options are good. */
export type ServeTlsChoice =
  | { readonly kind: 'off' }
  | { readonly kind: 'files'; readonly tls: ServerTls }
  | { readonly kind: 'throwaway'; readonly mtls: boolean; readonly dir: string | undefined };

export function readServeTls(values: ServeTlsValues, problems: string[]): ServeTlsChoice {
  const mtls = values.mtls;
  const files = readTlsFiles(values, mtls, problems);
  if (files) {
    if (values['tls-dir'] !== undefined)
      problems.push('--tls-dir is for throwaway certificates, not with --cert/--key/--ca');
    return { kind: 'files', tls: files };
  }
  const wanted = values.tls || mtls;
  if (!wanted && values['tls-dir'] !== undefined) problems.push('--tls-dir needs --tls or --mtls');
  return wanted ? { kind: 'throwaway', mtls, dir: values['tls-dir'] } : { kind: 'off' };
}

/** Makes the throwaway PKI when asked; the files are what clients need. */
export function serverTlsOf(choice: ServeTlsChoice): { tls?: ServerTls; files?: ThrowawayFiles } {
  if (choice.kind === 'off') return {};
  if (choice.kind === 'files') return { tls: choice.tls };
  return throwawayServerTls(choice.mtls, choice.dir);
}

export const callTlsOptions = {
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
} as const;

export const callTlsUsage = `  --ca FILE             connect over TLS, trusting this CA (serve --tls prints where its CA is)
  --cert FILE --key FILE   a client certificate and key, for a server started with --mtls`;

export function readCallTls(
  values: { ca?: string | undefined; cert?: string | undefined; key?: string | undefined },
  problems: string[],
): ClientTls | undefined {
  if ((values.cert === undefined) !== (values.key === undefined))
    problems.push('--cert and --key go together');
  if (values.ca === undefined) {
    if (values.cert !== undefined || values.key !== undefined)
      problems.push('--cert/--key need --ca (the CA that signed the server certificate)');
    return undefined;
  }
  const read = (name: 'ca' | 'cert' | 'key'): string | undefined => {
    const path = values[name];
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      problems.push(`cannot read --${name} ${path}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const ca = read('ca') ?? '';
  const cert = read('cert');
  const key = read('key');
  return { ca, ...(cert === undefined ? {} : { cert }), ...(key === undefined ? {} : { key }) };
}
