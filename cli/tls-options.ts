/** The TLS flags of `serve` and `call`, read and checked with every problem reported at once. */
import { readFileSync } from 'node:fs';
import type { ClientTls } from '../clients/client-tls.js';
import type { ServerTls } from '../servers/tls/server-tls.js';
import { readTlsFiles, type ThrowawayFiles, throwawayServerTls } from '../servers/tls/tls-material.js';

export const serveTlsOptions = {
  tls: {
    type: 'boolean',
    default: false,
    description:
      'serve every protocol over TLS (HTTP/2 ones with ALPN h2); without --cert/--key/--ca, a throwaway CA, server and client certificate are made for this run and written to --tls-dir',
  },
  mtls: {
    type: 'boolean',
    default: false,
    description: 'TLS and require a client certificate signed by the CA',
  },
  cert: { type: 'string', value: 'FILE', description: "the server's certificate (PEM)" },
  key: { type: 'string', value: 'FILE', description: "the server's private key (PEM)" },
  ca: { type: 'string', value: 'FILE', description: 'the CA that signs client certificates (PEM)' },
  'tls-dir': {
    type: 'string',
    value: 'DIR',
    defaultText: 'a new temporary directory',
    description: 'where the throwaway certificates and keys go (keys mode 0600)',
  },
} as const;

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
  ca: {
    type: 'string',
    value: 'FILE',
    description: 'connect over TLS, trusting this CA (serve --tls prints where its CA is)',
  },
  cert: {
    type: 'string',
    value: 'FILE',
    description: 'a client certificate, for a server started with --mtls',
  },
  key: { type: 'string', value: 'FILE', description: "the client certificate's key" },
} as const;

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
