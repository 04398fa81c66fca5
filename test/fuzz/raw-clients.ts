/**
 * Clients that send whatever bytes they are given, fast: gRPC over a few node:http2
 * sessions (many streams each), REST over keep-alive HTTP/1.1 sockets. No serializer,
 * no validation, no retries: what the server answers is what is recorded.
 */
import { Agent, request } from 'node:http';
import { type ClientHttp2Session, connect } from 'node:http2';
import { codeNameOf } from '../../servers/core/status-codes.js';

/** What one case came to; `HANG` when no answer came within the case's timeout. */
export interface RawOutcome {
  /** A gRPC status name, or `HTTP <status>` with the REST `{code}` after it. */
  readonly code: string;
  readonly httpStatus: number;
  readonly restCode?: string | undefined;
}

export class GrpcRawPool {
  private readonly sessions: ClientHttp2Session[] = [];
  private next = 0;

  constructor(
    private readonly port: number,
    private readonly size: number,
  ) {}

  private session(): ClientHttp2Session {
    const index = this.next++ % this.size;
    const current = this.sessions[index];
    if (current && !current.closed && !current.destroyed) return current;
    const session = connect(`http://127.0.0.1:${this.port}`);
    session.on('error', () => {});
    this.sessions[index] = session;
    return session;
  }

  /** One gRPC call with the given (possibly broken) frame as its whole request body. */
  call(path: string, frame: Buffer, timeoutMs: number): Promise<RawOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      let status: string | undefined;
      let httpStatus = 0;
      const settle = (outcome: RawOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const stream = this.session().request({
        ':method': 'POST',
        ':path': path,
        'content-type': 'application/grpc',
        te: 'trailers',
        'grpc-timeout': `${timeoutMs}m`,
      });
      const timer = setTimeout(() => {
        stream.close();
        settle({ code: 'HANG', httpStatus });
      }, timeoutMs + 2_000);
      const read = (headers: Record<string, unknown>) => {
        if (headers['grpc-status'] !== undefined) status = codeNameOf(Number(headers['grpc-status']));
      };
      stream.on('response', (headers) => {
        httpStatus = Number(headers[':status']);
        read(headers);
      });
      stream.on('trailers', read);
      stream.on('data', () => {});
      stream.on('error', () => {});
      stream.on('close', () =>
        settle({
          code: status ?? (httpStatus ? `HTTP ${httpStatus} without grpc-status` : 'RESET'),
          httpStatus,
        }),
      );
      stream.end(frame);
    });
  }

  close(): void {
    for (const session of this.sessions) session?.close();
  }
}

export class RestRawClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    sockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  post(path: string, body: Buffer, contentType: string, timeoutMs: number): Promise<RawOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: RawOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const req = request(
        {
          agent: this.agent,
          host: '127.0.0.1',
          port: this.port,
          method: 'POST',
          path,
          headers: { 'content-type': contentType, 'content-length': body.length },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            let restCode: string | undefined;
            try {
              restCode = (JSON.parse(Buffer.concat(chunks).toString()) as { code?: string }).code;
            } catch {
              restCode = undefined;
            }
            settle({ code: `HTTP ${status}`, httpStatus: status, restCode });
          });
          response.on('error', () => settle({ code: 'RESET', httpStatus: response.statusCode ?? 0 }));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        settle({ code: 'HANG', httpStatus: 0 });
      }, timeoutMs);
      req.on('error', () => settle({ code: 'RESET', httpStatus: 0 }));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `count` cases, `concurrency` at a time, stopping early at `deadline` (ms since epoch). */
export async function runCases(
  count: number,
  concurrency: number,
  deadline: number,
  run: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < count && Date.now() < deadline) await run(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Math.min(next, count);
}
