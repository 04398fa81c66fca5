import { describe, expect, it } from 'vitest';
import { pickExternalServer } from './external-servers.js';
import type { RunServer } from './run-server.js';
import { formatServerList, parseServerList } from './server-list.js';

describe('parseServerList', () => {
  it('reads PROTOCOL=HOST:PORT entries, IPv6 in brackets, a protocol more than once', () => {
    const problems: string[] = [];
    const list = parseServerList(
      'grpc=grpc-server:50051,connect=grpc-server:50052,rest=[::1]:8080,grpc=10.0.0.7:50051',
      problems,
    );
    expect(problems).toEqual([]);
    expect(list).toEqual([
      { protocol: 'grpc', address: { host: 'grpc-server', port: 50051 } },
      { protocol: 'connect', address: { host: 'grpc-server', port: 50052 } },
      { protocol: 'rest', address: { host: '::1', port: 8080 } },
      { protocol: 'grpc', address: { host: '10.0.0.7', port: 50051 } },
    ]);
    expect(formatServerList(list)).toBe(
      'grpc=grpc-server:50051,connect=grpc-server:50052,rest=[::1]:8080,grpc=10.0.0.7:50051',
    );
  });

  it('names every bad entry at once', () => {
    const problems: string[] = [];
    parseServerList('http=a:1,grpc=a,rest=b:0,rest-h2=c:80,rest-h2=c:80', problems);
    expect(problems).toEqual([
      '--servers: "http=a:1" must be PROTOCOL=HOST:PORT with PROTOCOL one of grpc, rest, rest-h2, connect, web',
      `--servers: grpc's address must be HOST:PORT (port 1 to 65535), not "a"`,
      `--servers: rest's address must be HOST:PORT (port 1 to 65535), not "b:0"`,
      '--servers: rest-h2=c:80 is given more than once',
    ]);
  });
});

describe('pickExternalServer', () => {
  const server = (host: string, engine: string): RunServer => ({
    host,
    port: 50051,
    engine,
    sample: () => undefined,
    stop: async () => {},
  });
  const sphinx = server('a', 'sphinx');
  const reference = server('b', 'reference');
  const servers = [
    { protocol: 'grpc' as const, server: reference },
    { protocol: 'grpc' as const, server: sphinx },
  ];

  it('picks the server whose engine the scenario asks for; auto prefers sphinx', () => {
    expect(pickExternalServer(servers, 'grpc', 'reference')).toBe(reference);
    expect(pickExternalServer(servers, 'grpc', 'sphinx')).toBe(sphinx);
    expect(pickExternalServer(servers, 'grpc', 'auto')).toBe(sphinx);
    expect(pickExternalServer(servers.slice(0, 1), 'grpc', 'auto')).toBe(reference);
  });

  it('says why there is none', () => {
    expect(pickExternalServer(servers.slice(1), 'grpc', 'reference')).toEqual({
      skipped:
        'no grpc server in --servers runs the reference engine the scenario asks for (a:50051 runs sphinx)',
    });
    expect(pickExternalServer(servers, 'rest', 'auto')).toEqual({
      skipped: 'no rest server given in --servers',
    });
  });
});
