/**
 * An in-process TCP proxy for fault injection, after Toxiproxy: the driver connects to
 * the proxy, the proxy to the server, and the faults that are on act on the bytes of
 * each direction. Loopback only (the listener binds 127.0.0.1 unless told otherwise).
 */
import { once } from 'node:events';
import { type AddressInfo, createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { EmulatedLink, linkSettings } from '../network/emulated-link.js';
import type { PathSettings } from '../network/network-profile.js';
import { FaultPipe } from './fault-pipe.js';
import type { Direction, FaultSpec } from './fault-spec.js';
import type { ConnectionControls, StageOutput } from './toxic.js';
import { toxicOf } from './toxics.js';

export interface FaultProxyOptions {
  readonly upstreamHost: string;
  readonly upstreamPort: number;
  readonly host?: string;
  /** 0 (default): a free port. */
  readonly port?: number;
  /** An emulated network path under every connection (bench/network), after the faults. */
  readonly network?: PathSettings;
  /** The round trip the proxy itself adds (ms), taken off the emulated path's delay. */
  readonly proxyRttMs?: number;
}

type ByteFault = Exclude<FaultSpec, { type: 'down' }>;

interface ActiveFault {
  readonly id: number;
  readonly direction: Direction;
  readonly fault: ByteFault;
}

const ignore = () => {};

function socketOutput(socket: Socket): StageOutput {
  return {
    data: (chunk) => {
      if (!socket.destroyed) socket.write(chunk);
    },
    end: () => {
      if (!socket.destroyed) socket.end();
    },
  };
}

/**
 * `source`'s bytes cross the emulated path to `destination`; the path pauses `source`
 * when it holds too much, as a real path's windows would.
 */
function emulatedLink(
  options: FaultProxyOptions & { network: PathSettings },
  mbps: number,
  source: Socket,
  destination: Socket,
): EmulatedLink {
  const settings = linkSettings(options.network, mbps, options.proxyRttMs);
  const link = new EmulatedLink(settings, socketOutput(destination), {
    pause: () => source.pause(),
    resume: () => source.resume(),
    unwritten: () => destination.writableLength,
  });
  destination.on('drain', () => link.recheck());
  return link;
}

/** A driver's connection and the proxy's connection to the server, joined by two pipes. */
class ProxiedConnection {
  readonly server: Socket;
  readonly pipes: Record<Direction, FaultPipe>;
  /** The emulated path each way, when the proxy has a network. */
  readonly links: Partial<Record<Direction, EmulatedLink>> = {};
  private gone = false;

  constructor(
    readonly client: Socket,
    options: FaultProxyOptions,
    private readonly onGone: (connection: ProxiedConnection) => void,
  ) {
    this.server = netConnect({ host: options.upstreamHost, port: options.upstreamPort, allowHalfOpen: true });
    this.server.setNoDelay(true);
    client.setNoDelay(true);
    const path = options.network;
    if (path) {
      const withPath = { ...options, network: path };
      this.links.upstream = emulatedLink(withPath, path.upMbps, client, this.server);
      this.links.downstream = emulatedLink(withPath, path.downMbps, this.server, client);
    }
    this.pipes = {
      upstream: new FaultPipe(this.links.upstream ?? socketOutput(this.server)),
      downstream: new FaultPipe(this.links.downstream ?? socketOutput(client)),
    };
    client.on('data', (chunk: Buffer) => this.pipes.upstream.data(chunk));
    this.server.on('data', (chunk: Buffer) => this.pipes.downstream.data(chunk));
    client.on('end', () => this.pipes.upstream.end());
    this.server.on('end', () => this.pipes.downstream.end());
    // A reset (or refusal) on one side is passed on as a reset to the other.
    client.on('error', () => this.reset(this.server));
    this.server.on('error', () => this.reset(client));
    client.on('close', () => this.closed());
    this.server.on('close', () => this.closed());
  }

  controls(direction: Direction): ConnectionControls {
    // A stage resets the socket its direction's bytes go to: the server upstream, the driver downstream.
    const near = direction === 'upstream' ? this.server : this.client;
    return {
      reset: () => this.reset(near),
      close: () => this.close(),
    };
  }

  add(fault: ActiveFault): void {
    const make = toxicOf(fault.fault);
    this.pipes[fault.direction].add(fault.id, (output) => make(output, this.controls(fault.direction)));
  }

  remove(fault: ActiveFault): void {
    this.pipes[fault.direction].remove(fault.id);
  }

  /** Resets `socket` (RST) and destroys the other. */
  reset(socket: Socket): void {
    const other = socket === this.client ? this.server : this.client;
    if (!socket.destroyed) socket.resetAndDestroy();
    other.destroy();
  }

  /** Both ends get a FIN after what is already written; then the sockets go. */
  close(): void {
    for (const socket of [this.client, this.server]) {
      if (!socket.destroyed) socket.end(() => socket.destroy());
    }
  }

  destroy(): void {
    this.client.destroy();
    this.server.destroy();
  }

  private closed(): void {
    if (this.gone) return;
    if (this.client.destroyed && this.server.destroyed) {
      this.gone = true;
      this.pipes.upstream.dispose();
      this.pipes.downstream.dispose();
      this.links.upstream?.dispose();
      this.links.downstream?.dispose();
      this.onGone(this);
      return;
    }
    // One side has gone: the other gets its end once what the faults hold for it has reached it.
    if (this.client.destroyed) this.pipes.upstream.end();
    else this.pipes.downstream.end();
  }
}

export class FaultProxy {
  private readonly connections = new Set<ProxiedConnection>();
  private readonly active: ActiveFault[] = [];
  private readonly downs = new Set<number>();
  private listener: Server | undefined;
  private nextId = 1;
  private boundPort = 0;
  private stopped = false;

  private constructor(private readonly options: FaultProxyOptions) {}

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    await proxy.listen(options.port ?? 0);
    return proxy;
  }

  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  /** Connections open through the proxy now. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Turns a fault on, for live connections and new ones; returns its id for `remove`. */
  async add(direction: Direction, fault: FaultSpec): Promise<number> {
    const id = this.nextId++;
    if (fault.type === 'down') {
      this.downs.add(id);
      if (this.downs.size === 1) await this.goDown();
      return id;
    }
    const active = { id, direction, fault };
    this.active.push(active);
    for (const connection of this.connections) connection.add(active);
    return id;
  }

  /** Turns a fault off: what its stages hold moves on; a `down` ends (the proxy listens again). */
  async remove(id: number): Promise<void> {
    if (this.downs.delete(id)) {
      if (this.downs.size === 0 && !this.stopped) await this.listen(this.boundPort);
      return;
    }
    const index = this.active.findIndex((fault) => fault.id === id);
    if (index < 0) return;
    const [fault] = this.active.splice(index, 1);
    for (const connection of this.connections) connection.remove(fault!);
  }

  /** Stops listening, destroys every connection and clears every fault's timers. */
  async close(): Promise<void> {
    this.stopped = true;
    this.active.splice(0);
    await this.goDown();
  }

  private async listen(port: number): Promise<void> {
    const listener = createServer({ allowHalfOpen: true, noDelay: true }, (client) => this.accept(client));
    listener.on('error', ignore);
    listener.listen({ port, host: this.host });
    await Promise.race([
      once(listener, 'listening'),
      once(listener, 'error').then(([error]) => Promise.reject(error)),
    ]);
    this.boundPort = (listener.address() as AddressInfo).port;
    this.listener = listener;
  }

  private async goDown(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    for (const connection of this.connections) connection.destroy();
    if (listener) await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.stopped || !this.listener) {
      client.destroy();
      return;
    }
    const connection = new ProxiedConnection(client, this.options, (gone) => this.connections.delete(gone));
    this.connections.add(connection);
    for (const fault of this.active) connection.add(fault);
  }
}
