import { createHash, timingSafeEqual } from 'node:crypto';
import { ServiceError } from './service-error.js';

/** The key as the client presents it: `authorization: Bearer KEY` or `x-api-key: KEY`. */
export interface PresentedCredentials {
  readonly authorization?: string | undefined;
  readonly apiKey?: string | undefined;
}

interface StoredKey {
  /** What logs and the usage ledger call the key: never the key itself. */
  readonly id: string;
  readonly digest: Buffer;
}

function digestOf(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** A key's id when the file gives it no name: a short, non-reversible fingerprint. */
export function fingerprintOf(key: string): string {
  return `key-${digestOf(key).subarray(0, 4).toString('hex')}`;
}

const bearer = /^bearer\s+(\S+)\s*$/i;

function presentedKey(credentials: PresentedCredentials): string | undefined {
  if (credentials.authorization !== undefined) return bearer.exec(credentials.authorization)?.[1];
  return credentials.apiKey?.trim() || undefined;
}

/**
 * The API keys a server accepts. Keys are compared as SHA-256 digests with
 * `timingSafeEqual`, against every stored key whatever matched earlier, so that
 * neither a key's length nor its prefix shows in the answer's timing.
 */
export class ApiKeys {
  private readonly keys: readonly StoredKey[];

  constructor(keys: readonly { readonly id: string; readonly key: string }[]) {
    if (keys.length === 0) throw new Error('ApiKeys needs at least one key (leave it out to turn auth off)');
    this.keys = keys.map(({ id, key }) => ({ id, digest: digestOf(key) }));
  }

  get size(): number {
    return this.keys.length;
  }

  /** The id of the key presented, or UNAUTHENTICATED. */
  authenticate(credentials: PresentedCredentials): string {
    const key = presentedKey(credentials);
    if (key === undefined) {
      throw new ServiceError(
        'UNAUTHENTICATED',
        'this server requires an API key: send "authorization: Bearer KEY" or "x-api-key: KEY"',
      );
    }
    const digest = digestOf(key);
    let found: string | undefined;
    for (const stored of this.keys) {
      if (timingSafeEqual(stored.digest, digest)) found ??= stored.id;
    }
    if (found === undefined) throw new ServiceError('UNAUTHENTICATED', 'the API key is not valid');
    return found;
  }
}

/**
 * A keys file: one key a line, or `NAME KEY` to give it a name for the usage ledger;
 * blank lines and `#` comments skipped. Every problem is reported, none of the keys.
 */
export function parseApiKeys(text: string, source: string): { id: string; key: string }[] {
  const problems: string[] = [];
  const keys: { id: string; key: string }[] = [];
  const ids = new Set<string>();
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const where = `${source} line ${index + 1}`;
    if (fields.length > 2) {
      problems.push(`${where}: expected KEY or NAME KEY, found ${fields.length} fields`);
      continue;
    }
    const key = fields.at(-1)!;
    const id = fields.length === 2 ? fields[0]! : fingerprintOf(key);
    if (key.length < 8) problems.push(`${where}: a key needs at least 8 characters`);
    else if (ids.has(id)) problems.push(`${where}: the name or key ${id} appears twice`);
    else {
      ids.add(id);
      keys.push({ id, key });
    }
  }
  if (problems.length === 0 && keys.length === 0) problems.push(`${source} holds no key`);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return keys;
}
