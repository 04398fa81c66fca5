import { describe, expect, it } from 'vitest';
import { Http1ResponseParser } from './http1-response-parser.js';

interface Seen {
  status: number;
  body: string | undefined;
}

function parser(wantsBody: (status: number) => boolean = () => true) {
  const seen: Seen[] = [];
  const parse = new Http1ResponseParser(wantsBody, (status, body) =>
    seen.push({ status, body: body?.toString('latin1') }),
  );
  return { parse, seen };
}

const lengthResponse = (status: number, body: string) =>
  `HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe('Http1ResponseParser', () => {
  it('reads pipelined Content-Length responses from one chunk', () => {
    const { parse, seen } = parser();
    const wire = lengthResponse(200, '{"a":1}') + lengthResponse(400, '{"code":"INVALID_ARGUMENT"}');
    expect(parse.push(Buffer.from(wire, 'latin1'))).toBeUndefined();
    expect(seen).toEqual([
      { status: 200, body: '{"a":1}' },
      { status: 400, body: '{"code":"INVALID_ARGUMENT"}' },
    ]);
    expect(parse.idle).toBe(true);
  });

  it('reads the same bytes fed one at a time', () => {
    const { parse, seen } = parser();
    const chunked =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: x\r\n\r\n';
    const wire = Buffer.from(lengthResponse(200, 'hello') + chunked + lengthResponse(204, ''), 'latin1');
    for (let i = 0; i < wire.length; i++) expect(parse.push(wire.subarray(i, i + 1))).toBeUndefined();
    expect(seen).toEqual([
      { status: 200, body: 'hello' },
      { status: 200, body: 'Wikipedia' },
      { status: 204, body: '' },
    ]);
  });

  it('skips bodies nobody wants, and interim 100 answers', () => {
    const { parse, seen } = parser((status) => status !== 200);
    const wire = `HTTP/1.1 100 Continue\r\n\r\n${lengthResponse(200, 'x'.repeat(5000))}${lengthResponse(500, 'oops')}`;
    parse.push(Buffer.from(wire, 'latin1'));
    expect(seen).toEqual([
      { status: 200, body: undefined },
      { status: 500, body: 'oops' },
    ]);
  });

  it('reads a body without a length until the connection closes', () => {
    const { parse, seen } = parser();
    parse.push(Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\npart one, ', 'latin1'));
    parse.push(Buffer.from('part two', 'latin1'));
    expect(seen).toEqual([]);
    expect(parse.end()).toBe(true);
    expect(seen).toEqual([{ status: 200, body: 'part one, part two' }]);
  });

  it('reports what is not HTTP', () => {
    expect(parser().parse.push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toMatch(/not an HTTP/);
    expect(
      parser().parse.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')),
    ).toMatch(/hex/);
    expect(parser().parse.push(Buffer.alloc(70_000, 'a'))).toMatch(/longer than/);
  });
});
