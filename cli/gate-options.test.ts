import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readGateOptions } from './gate-options.js';

describe('serve gate options', () => {
  it('are off by default', () => {
    const problems: string[] = [];
    const options = readGateOptions({}, problems);
    expect(problems).toEqual([]);
    expect(options.apiKeys).toBeUndefined();
    expect(options.rateLimits).toEqual({});
    expect(options.loadShedding).toEqual({});
    expect(options.log).toBeUndefined();
  });

  it('read keys from a file and the command line, and limits', () => {
    const file = `/tmp/gate-options-${process.pid}.txt`;
    writeFileSync(file, 'alice sk-alice-12345678\n');
    const problems: string[] = [];
    const options = readGateOptions(
      {
        'api-keys': file,
        'api-key': ['sk-other-12345678'],
        'rate-limit': '20',
        burst: '40',
        'audio-quota': '600',
        'max-in-flight': '256',
        'log-payloads': true,
      },
      problems,
    );
    expect(problems).toEqual([]);
    expect(options.apiKeys?.size).toBe(2);
    expect(options.rateLimits).toEqual({ requestsPerSecond: 20, burst: 40, audioSecondsPerMinute: 600 });
    expect(options.loadShedding).toEqual({ maxInFlight: 256 });
    expect(options.log?.payloads).toBe(true);
  });

  it('report every problem at once, and no key', () => {
    const problems: string[] = [];
    readGateOptions(
      {
        'api-keys': '/nonexistent/keys.txt',
        'api-key': ['short'],
        'rate-limit': '0',
        burst: '2',
        'audio-quota': 'lots',
        'max-in-flight': '-1',
        'price-per-audio-minute': 'free',
      },
      problems,
    );
    expect(problems).toHaveLength(7);
    expect(problems.join('\n')).not.toContain('short');
    expect(problems).toContain('--burst needs --rate-limit');
  });
});
