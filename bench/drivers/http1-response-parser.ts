/**
 * A small incremental HTTP/1.1 response parser for pipelined keep-alive connections:
 * status line, the few headers that frame a body, Content-Length and chunked bodies.
 * Bodies nobody asked for are skipped without being copied.
 */
import { PartCounts } from './byte-breakdown.js';

/** `body` is present when `wantsBody(status)` said so. */
export type OnResponse = (status: number, body: Buffer | undefined) => void;

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
/** A head this long without its blank line is not an HTTP response worth waiting for. */
const maxHeadBytes = 64 * 1024;

enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  UntilClose,
}

export class Http1ResponseParser {
  private state = State.Head;
  private carry: Buffer | undefined;
  private remaining = 0;
  private status = 0;
  private parts: Buffer[] | undefined;
  /** Every byte consumed, by part: heads are headers, chunk lines and trailers framing. */
  readonly counts = new PartCounts();

  constructor(
    /** Asked once per response, after its head: should its body be kept? */
    private readonly wantsBody: (status: number) => boolean,
    private readonly onResponse: OnResponse,
  ) {}

  /** Feeds bytes from the socket; returns a description of a protocol error, or undefined. */
  push(chunk: Buffer): string | undefined {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    let pos = 0;
    while (pos < data.length) {
      switch (this.state) {
        case State.Head: {
          const end = data.indexOf(CRLFCRLF, pos);
          if (end < 0) return this.keep(data, pos, maxHeadBytes, 'response head');
          const problem = this.head(data.toString('latin1', pos, end));
          if (problem) return problem;
          this.counts.headers += end + 4 - pos;
          pos = end + 4;
          break;
        }
        case State.Length:
        case State.ChunkData:
        case State.UntilClose: {
          const take =
            this.state === State.UntilClose ? data.length - pos : Math.min(this.remaining, data.length - pos);
          this.parts?.push(data.subarray(pos, pos + take));
          this.counts.body += take;
          pos += take;
          this.remaining -= take;
          if (this.remaining > 0 || this.state === State.UntilClose) break;
          if (this.state === State.Length) this.finish();
          else this.state = State.ChunkEnd;
          break;
        }
        case State.ChunkSize: {
          const end = data.indexOf(CRLF, pos);
          if (end < 0) return this.keep(data, pos, 1024, 'chunk size line');
          const size = Number.parseInt(data.toString('latin1', pos, end).split(';')[0]!, 16);
          if (!Number.isFinite(size) || size < 0) return 'a chunk size that is not a hex number';
          this.counts.framing += end + 2 - pos;
          pos = end + 2;
          this.remaining = size;
          this.state = size === 0 ? State.Trailers : State.ChunkData;
          break;
        }
        case State.ChunkEnd: {
          if (data.length - pos < 2) return this.keep(data, pos, 2, 'chunk end');
          if (data[pos] !== 13 || data[pos + 1] !== 10) return 'a chunk not followed by CRLF';
          this.counts.framing += 2;
          pos += 2;
          this.state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const end = data.indexOf(CRLF, pos);
          if (end < 0) return this.keep(data, pos, maxHeadBytes, 'trailers');
          if (end === pos) this.finish();
          this.counts.framing += end + 2 - pos;
          pos = end + 2;
          break;
        }
      }
    }
    return undefined;
  }

  /** The connection closed: completes a body that runs until the close; true if it did. */
  end(): boolean {
    if (this.state !== State.UntilClose) return false;
    this.finish();
    return true;
  }

  /** Between responses (nothing half-read)? */
  get idle(): boolean {
    return this.state === State.Head && this.carry === undefined;
  }

  reset(): void {
    // Bytes read but never consumed (half a head or chunk line) still crossed the socket.
    const left = this.carry?.length ?? 0;
    if (this.state === State.Head) this.counts.headers += left;
    else this.counts.framing += left;
    this.state = State.Head;
    this.carry = undefined;
    this.parts = undefined;
  }

  private keep(data: Buffer, pos: number, limit: number, what: string): string | undefined {
    if (data.length - pos > limit) return `${what} longer than ${limit} bytes`;
    this.carry = data.subarray(pos);
    return undefined;
  }

  private head(text: string): string | undefined {
    if (!text.startsWith('HTTP/1.')) return `not an HTTP/1.x response: ${JSON.stringify(text.slice(0, 40))}`;
    const status = Number(text.slice(9, 12));
    if (!Number.isInteger(status) || status < 100)
      return `a bad status line: ${JSON.stringify(text.slice(0, 40))}`;
    // Interim answers (100 Continue) precede the real one.
    if (status < 200) return undefined;
    this.status = status;
    this.parts = this.wantsBody(status) ? [] : undefined;
    const headers = text.toLowerCase();
    if (status === 204 || status === 304) return this.finish();
    if (/\r\ntransfer-encoding:[^\r]*chunked/.test(headers)) {
      this.state = State.ChunkSize;
      return undefined;
    }
    const length = /\r\ncontent-length:\s*(\d+)/.exec(headers);
    if (!length) {
      this.state = State.UntilClose;
      return undefined;
    }
    this.remaining = Number(length[1]);
    if (this.remaining === 0) return this.finish();
    this.state = State.Length;
    return undefined;
  }

  private finish(): undefined {
    const parts = this.parts;
    const body = parts && (parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    this.state = State.Head;
    this.parts = undefined;
    this.onResponse(this.status, body);
    return undefined;
  }
}
