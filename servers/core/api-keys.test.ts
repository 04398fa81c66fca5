import { describe, expect, it } from 'vitest';
import { ApiKeys, fingerprintOf, parseApiKeys } from './api-keys.js';
import { ServiceError } from './service-error.js';

const keys = new ApiKeys([
  { id: 'alice', key: 'sk-alice-12345678' },
  { id: 'bob', key: 'sk-bob-87654321' },
]);

function codeOf(call: () => unknown): string | undefined {
  try {
    call();
    return undefined;
  } catch (error) {
    return error instanceof ServiceError ? error.code : 'not a ServiceError';
  }
}

describe('ApiKeys', () => {
  it('finds the key in a Bearer authorization or an x-api-key header', () => {
    expect(keys.authenticate({ authorization: 'Bearer sk-alice-12345678' })).toBe('alice');
    expect(keys.authenticate({ authorization: 'bearer   sk-bob-87654321 ' })).toBe('bob');
    expect(keys.authenticate({ apiKey: 'sk-bob-87654321' })).toBe('bob');
  });

  it('refuses a missing, wrong, prefixed or differently-schemed key with UNAUTHENTICATED', () => {
    for (const credentials of [
      {},
      { authorization: 'Bearer sk-alice-1234567' },
      { authorization: 'Bearer sk-alice-123456789' },
      { authorization: 'Basic sk-alice-12345678' },
      { authorization: 'Bearer' },
      { apiKey: '' },
      // authorization wins when both are sent: a wrong one is not rescued by x-api-key.
      { authorization: 'Bearer nope', apiKey: 'sk-alice-12345678' },
    ]) {
      expect(codeOf(() => keys.authenticate(credentials))).toBe('UNAUTHENTICATED');
    }
  });

  it('reads a keys file: KEY or NAME KEY, comments, every problem at once, no key in a message', () => {
    expect(parseApiKeys('# team\nalice sk-alice-12345678\n\nsk-anon-12345678\n', 'keys.txt')).toEqual([
      { id: 'alice', key: 'sk-alice-12345678' },
      { id: fingerprintOf('sk-anon-12345678'), key: 'sk-anon-12345678' },
    ]);
    let message = '';
    try {
      parseApiKeys('a b c\nshort\nalice sk-secret-1\nalice sk-secret-2\n', 'keys.txt');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'keys.txt line 1: expected KEY or NAME KEY, found 3 fields',
      'keys.txt line 2: a key needs at least 8 characters',
      'keys.txt line 4: the name or key alice appears twice',
    ]);
    expect(message).not.toContain('sk-secret');
    expect(() => parseApiKeys('# nothing\n', 'empty.txt')).toThrow('empty.txt holds no key');
  });
});
