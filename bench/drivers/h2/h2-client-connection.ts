/**
 * One HTTP/2 client connection over a plain socket, for a load generator: requests
 * with one fixed header list and a pre-built body, answered to a handler per stream.
 * Framing, HPACK and flow control are done here, in a few allocations per request,
 * where node:http2 spends tens of microseconds on stream objects and async resources.
 */
import type { Socket } from 'node:net';
import type { ClientTls } from '../../../clients/client-tls.js';
import { WireSocket } from '../wire-socket.js';
import { FrameReader } from './frame-reader.js';
import {
  connectionPreface,
  defaultMaxFrameSize,
  defaultWindow,
  ErrorCode,
  Flag,
  FrameType,
  frame,
  frameHeaderBytes,
  goawayFrame,
  rstStreamFrame,
  Setting,
  settingsFrame,
  windowUpdateFrame,
  writeFrameHeader,
} from './frames.js';
import { H2ByteTally } from './h2-byte-tally.js';
import {
  defaultTableSize,
  encodeRequestHeaders,
  type HeaderVisitor,
  HpackDecoder,
  type RequestHeaderBlocks,
} from './hpack.js';

/**
 * How a stream ended: `ended` by the server's END_STREAM, `reset` by its RST_STREAM,
 * `refused` when it was never processed (GOAWAY, or the connection would not take it),
 * `lost` with the connection, `cancelled` by us.
 */
export type StreamEnd = 'ended' | 'reset' | 'refused' | 'lost' | 'cancelled';

export interface H2StreamHandler extends HeaderVisitor {
  /** Set by the connection when the stream opens; 0 while it waits for one. */
  streamId: number;
  /** Only streams that want their body are handed DATA payloads. */
  readonly wantsData: boolean;
  onData(chunk: Buffer): void;
  onEnd(end: StreamEnd): void;
}

export interface H2ClientOptions {
  readonly host: string;
  readonly port: number;
  /** The request headers, pseudo-headers first; the same for every request. */
  readonly headers: readonly (readonly [string, string])[];
  /** Called once the socket has closed. */
  readonly onClosed?: (connection: H2ClientConnection) => void;
  /** h2 over TLS (ALPN) instead of h2c. */
  readonly tls?: ClientTls;
}

interface OpenStream {
  readonly id: number;
  readonly handler: H2StreamHandler;
  readonly body: Buffer;
  sent: number;
  /** What the server still lets us send on this stream. */
  window: number;
  /** Received since our last WINDOW_UPDATE for this stream. */
  received: number;
  bodyDone: boolean;
}

interface Waiting {
  readonly body: Buffer;
  readonly handler: H2StreamHandler;
}

/** Our receive windows, as h2load's defaults (-w 30 -W 30): answers never wait for a WINDOW_UPDATE. */
const ourWindow = 2 ** 30 - 1;
const replenishAfter = 2 ** 29;
const maxStreamId = 2 ** 31 - 1;
const ignore = () => {};
const discardHeaders: HeaderVisitor = { onHeader: ignore };
const settingsAck = frame(FrameType.SETTINGS, Flag.ACK, 0, Buffer.alloc(0));

export class H2ClientConnection {
  readonly ready: Promise<void>;
  /** Where the socket's bytes went: counted at the one write point and per frame read. */
  readonly bytes = new H2ByteTally();
  private readonly socket: Socket;
  /** The TCP socket: with TLS, bytes are counted on the wire, under the TLS socket. */
  private readonly wire: Socket;
  private readonly connection: WireSocket;
  private readonly decoder = new HpackDecoder();
  private readonly streams = new Map<number, OpenStream>();
  private waiting: Waiting[] = [];
  private blocked: OpenStream[] = [];
  private blocks: RequestHeaderBlocks | undefined;
  private firstBlockSent = false;
  private nextStreamId = 1;
  private sendWindow = defaultWindow;
  private peerInitialWindow = defaultWindow;
  private peerMaxFrame = defaultMaxFrameSize;
  private peerMaxStreams = Number.POSITIVE_INFINITY;
  private receivedUnacked = 0;
  private readonly reader = new FrameReader();
  private readonly frameHandler = (
    type: number,
    flags: number,
    streamId: number,
    data: Buffer,
    start: number,
    end: number,
  ) => {
    this.bytes.readFrame(type, end - start);
    this.onFrame(type, flags, streamId, data, start, end);
    return this.state !== 'closed';
  };
  private continuation: { streamId: number; endStream: boolean; parts: Buffer[] } | undefined;
  private corked = false;
  private state: 'connecting' | 'open' | 'draining' | 'closed' = 'connecting';
  /** The socket's first error (ECONNREFUSED, ECONNRESET…), which says how a lost connection went. */
  socketErrorCode: string | undefined;
  private settleReady: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(private readonly options: H2ClientOptions) {
    this.ready = new Promise((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    this.ready.catch(ignore);
    this.connection = new WireSocket(options.host, options.port, options.tls, ['h2']);
    this.socket = this.connection.io;
    this.wire = this.connection.wire;
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', (error: NodeJS.ErrnoException) => {
      this.socketErrorCode ??= error.code;
    });
    this.socket.on('close', () => this.lost());
    this.write(
      Buffer.concat([
        connectionPreface,
        settingsFrame([
          [Setting.ENABLE_PUSH, 0],
          [Setting.INITIAL_WINDOW_SIZE, ourWindow],
        ]),
        windowUpdateFrame(0, ourWindow - defaultWindow),
      ]),
    );
  }

  get bytesWritten(): number {
    return this.wire.bytesWritten;
  }

  get bytesRead(): number {
    return this.wire.bytesRead;
  }

  /** False once draining, closed or out of stream ids: new requests belong on a new connection. */
  get accepting(): boolean {
    return (this.state === 'connecting' || this.state === 'open') && this.nextStreamId <= maxStreamId;
  }

  /** Sends a request now, or as soon as the server's settings allow. */
  request(body: Buffer, handler: H2StreamHandler): void {
    if (!this.accepting) {
      handler.onEnd('refused');
      return;
    }
    if (this.blocks && this.streams.size < this.peerMaxStreams) this.open(body, handler);
    else this.waiting.push({ body, handler });
  }

  /** Gives up on a request: RST_STREAM(CANCEL) if it was sent, and `cancelled` to its handler. */
  cancel(handler: H2StreamHandler): void {
    if (handler.streamId === 0) {
      const before = this.waiting.length;
      this.waiting = this.waiting.filter((waiting) => waiting.handler !== handler);
      if (this.waiting.length < before) handler.onEnd('cancelled');
      return;
    }
    const stream = this.streams.get(handler.streamId);
    if (!stream) return;
    this.write(rstStreamFrame(stream.id, ErrorCode.CANCEL));
    stream.bodyDone = true;
    this.finish(stream, 'cancelled');
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.socket.destroy();
  }

  private open(body: Buffer, handler: H2StreamHandler): void {
    const blocks = this.blocks!;
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    handler.streamId = id;
    const stream: OpenStream = {
      id,
      handler,
      body,
      sent: 0,
      window: this.peerInitialWindow,
      received: 0,
      bodyDone: false,
    };
    this.streams.set(id, stream);
    const block = this.firstBlockSent ? blocks.repeat : blocks.first;
    this.firstBlockSent = true;
    const length = body.length;
    if (length === 0) {
      stream.bodyDone = true;
      this.write(frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, id, block));
      return;
    }
    if (length <= this.peerMaxFrame && length <= this.sendWindow && length <= stream.window) {
      // The usual case: HEADERS and the whole body in one DATA frame, in one buffer.
      const out = Buffer.allocUnsafe(2 * frameHeaderBytes + block.length + length);
      writeFrameHeader(out, 0, block.length, FrameType.HEADERS, Flag.END_HEADERS, id);
      block.copy(out, frameHeaderBytes);
      const at = frameHeaderBytes + block.length;
      writeFrameHeader(out, at, length, FrameType.DATA, Flag.END_STREAM, id);
      body.copy(out, at + frameHeaderBytes);
      this.sendWindow -= length;
      stream.window -= length;
      stream.sent = length;
      stream.bodyDone = true;
      this.write(out);
      return;
    }
    this.write(frame(FrameType.HEADERS, Flag.END_HEADERS, id, block));
    this.sendBody(stream);
    if (!stream.bodyDone) this.blocked.push(stream);
  }

  /** Sends as much of the body as the frame size and both windows allow. */
  private sendBody(stream: OpenStream): void {
    const { body } = stream;
    while (stream.sent < body.length) {
      const n = Math.min(body.length - stream.sent, this.peerMaxFrame, this.sendWindow, stream.window);
      if (n <= 0) return;
      const last = stream.sent + n === body.length;
      const out = Buffer.allocUnsafe(frameHeaderBytes + n);
      writeFrameHeader(out, 0, n, FrameType.DATA, last ? Flag.END_STREAM : 0, stream.id);
      body.copy(out, frameHeaderBytes, stream.sent, stream.sent + n);
      this.write(out);
      stream.sent += n;
      this.sendWindow -= n;
      stream.window -= n;
      if (last) stream.bodyDone = true;
    }
  }

  private flushBlocked(): void {
    if (this.blocked.length === 0) return;
    const still: OpenStream[] = [];
    for (const stream of this.blocked) {
      if (stream.bodyDone) continue;
      this.sendBody(stream);
      if (!stream.bodyDone) still.push(stream);
    }
    this.blocked = still;
  }

  private startWaiting(): void {
    while (
      this.waiting.length > 0 &&
      this.blocks &&
      this.accepting &&
      this.streams.size < this.peerMaxStreams
    ) {
      const next = this.waiting.shift()!;
      this.open(next.body, next.handler);
    }
  }

  private write(data: Buffer): void {
    if (this.socket.destroyed) return;
    this.bytes.wrote(data);
    // Frames written in one turn of the event loop leave in one write.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(data);
  }

  private receive(chunk: Buffer): void {
    const failure = this.reader.push(chunk, this.frameHandler);
    if (failure !== undefined) this.fail(failure);
  }

  private onFrame(
    type: number,
    flags: number,
    streamId: number,
    data: Buffer,
    start: number,
    end: number,
  ): void {
    if (this.continuation && type !== FrameType.CONTINUATION)
      throw new Error('a frame inside a header block');
    switch (type) {
      case FrameType.DATA:
        this.onData(flags, streamId, data, start, end);
        return;
      case FrameType.HEADERS: {
        let from = start;
        let to = end;
        if (flags & Flag.PADDED) to -= data[from++]!;
        if (flags & Flag.PRIORITY) from += 5;
        if (from > to) throw new Error('HEADERS padding beyond the frame');
        const block = data.subarray(from, to);
        const endStream = (flags & Flag.END_STREAM) !== 0;
        if (flags & Flag.END_HEADERS) this.onHeaderBlock(streamId, endStream, block);
        else this.continuation = { streamId, endStream, parts: [block] };
        return;
      }
      case FrameType.CONTINUATION: {
        const pending = this.continuation;
        if (!pending || pending.streamId !== streamId) throw new Error('CONTINUATION out of place');
        pending.parts.push(data.subarray(start, end));
        if (!(flags & Flag.END_HEADERS)) return;
        this.continuation = undefined;
        this.onHeaderBlock(streamId, pending.endStream, Buffer.concat(pending.parts));
        return;
      }
      case FrameType.RST_STREAM: {
        const stream = this.streams.get(streamId);
        if (stream) {
          stream.bodyDone = true;
          this.finish(stream, 'reset');
        }
        return;
      }
      case FrameType.SETTINGS:
        if (!(flags & Flag.ACK)) this.onSettings(data, start, end);
        return;
      case FrameType.PING:
        if (!(flags & Flag.ACK)) this.write(frame(FrameType.PING, Flag.ACK, 0, data.subarray(start, end)));
        return;
      case FrameType.GOAWAY:
        this.onGoaway(data.readUInt32BE(start) & 0x7fffffff);
        return;
      case FrameType.WINDOW_UPDATE: {
        const increment = data.readUInt32BE(start) & 0x7fffffff;
        if (streamId === 0) this.sendWindow += increment;
        else {
          const stream = this.streams.get(streamId);
          if (stream) stream.window += increment;
        }
        this.flushBlocked();
        return;
      }
      case FrameType.PUSH_PROMISE:
        throw new Error('PUSH_PROMISE although push is disabled');
      default:
        // PRIORITY and unknown frame types carry nothing a client must act on.
        return;
    }
  }

  private onData(flags: number, streamId: number, data: Buffer, start: number, end: number): void {
    // Flow control counts the whole payload, padding included.
    const length = end - start;
    this.receivedUnacked += length;
    if (this.receivedUnacked >= replenishAfter) {
      this.write(windowUpdateFrame(0, this.receivedUnacked));
      this.receivedUnacked = 0;
    }
    const stream = this.streams.get(streamId);
    if (!stream) return;
    stream.received += length;
    if (stream.received >= replenishAfter) {
      this.write(windowUpdateFrame(streamId, stream.received));
      stream.received = 0;
    }
    if (stream.handler.wantsData) {
      const from = flags & Flag.PADDED ? start + 1 : start;
      const to = flags & Flag.PADDED ? end - data[start]! : end;
      if (to > from) stream.handler.onData(data.subarray(from, to));
    }
    if (flags & Flag.END_STREAM) this.finish(stream, 'ended');
  }

  private onHeaderBlock(streamId: number, endStream: boolean, block: Buffer): void {
    const stream = this.streams.get(streamId);
    // Decoded even for a stream we gave up on: the dynamic table must stay in step.
    this.decoder.decode(block, stream ? stream.handler : discardHeaders);
    if (stream && endStream) this.finish(stream, 'ended');
  }

  private onSettings(data: Buffer, start: number, end: number): void {
    if ((end - start) % 6 !== 0) throw new Error('a SETTINGS payload that is not a multiple of 6');
    let tableSize = defaultTableSize;
    for (let at = start; at < end; at += 6) {
      const id = data.readUInt16BE(at);
      const value = data.readUInt32BE(at + 2);
      if (id === Setting.HEADER_TABLE_SIZE) tableSize = value;
      else if (id === Setting.MAX_CONCURRENT_STREAMS) this.peerMaxStreams = value;
      else if (id === Setting.MAX_FRAME_SIZE) this.peerMaxFrame = value;
      else if (id === Setting.INITIAL_WINDOW_SIZE) {
        const delta = value - this.peerInitialWindow;
        this.peerInitialWindow = value;
        for (const stream of this.streams.values()) stream.window += delta;
      }
    }
    this.write(settingsAck);
    if (!this.blocks) {
      // Our encoder only ever inserts on the first request, so the table size of the first SETTINGS is the one that counts.
      this.blocks = encodeRequestHeaders(this.options.headers, tableSize);
      if (this.state === 'connecting') this.state = 'open';
      this.settleReady?.resolve();
    }
    this.flushBlocked();
    this.startWaiting();
  }

  private onGoaway(lastStreamId: number): void {
    if (this.state !== 'closed') this.state = 'draining';
    for (const stream of [...this.streams.values()]) {
      if (stream.id > lastStreamId) {
        stream.bodyDone = true;
        this.finish(stream, 'refused');
      }
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const { handler } of waiting) handler.onEnd('refused');
    if (this.streams.size === 0) this.close();
  }

  private finish(stream: OpenStream, end: StreamEnd): void {
    this.streams.delete(stream.id);
    if (!stream.bodyDone) {
      // The server answered before the whole body was sent: stop sending it.
      stream.bodyDone = true;
      this.write(rstStreamFrame(stream.id, ErrorCode.CANCEL));
    }
    stream.handler.onEnd(end);
    if (this.state === 'closed') return;
    this.startWaiting();
    if (!this.accepting && this.streams.size === 0 && this.waiting.length === 0) this.close();
  }

  private fail(code: number): void {
    this.write(goawayFrame(0, code));
    this.socket.end();
    this.close();
  }

  private lost(): void {
    this.state = 'closed';
    this.settleReady?.reject(
      new Error(
        `HTTP/2 connection to ${this.options.host}:${this.options.port} closed: ${this.connection.problem()}`,
      ),
    );
    const streams = [...this.streams.values()];
    this.streams.clear();
    const waiting = this.waiting;
    this.waiting = [];
    this.blocked = [];
    for (const stream of streams) stream.handler.onEnd('lost');
    for (const { handler } of waiting) handler.onEnd('lost');
    this.options.onClosed?.(this);
  }
}
