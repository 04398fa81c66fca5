/**
 * The client-inclusive family: requests go through our typed client libraries, so the
 * numbers include what a real application pays for grpc-js or node:http plus JSON.
 * The clients own their sockets, so bytes are not visible here.
 */
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import type { AttemptCount, ResilienceOptions } from '../../clients/resilience.js';
import { RestSpeechClient } from '../../clients/rest-speech-client.js';
import type { SpeechClient } from '../../clients/speech-client.js';
import { ServiceError } from '../../servers/core/service-error.js';
import type { ConnectionPolicy, Driver, DriverConnection, Outcome } from './driver.js';
import {
  AnswerChecks,
  defaultTimeoutMs,
  failed,
  ok,
  type TransportDriverOptions,
  timedOut,
} from './transport-options.js';

export interface ClientDriverOptions extends TransportDriverOptions {
  /** REST only: `raw-wav` sends transcribe's audio as the body (the pipeline has no raw form in the client). */
  readonly bodyForm?: 'json' | 'raw-wav';
  /** Retries, keepalive and reconnect backoff for the client library (clients/resilience.ts). */
  readonly resilience?: ResilienceOptions;
  /** grpc-js only: `grpc-node.flow_control_window` (tuning `tuned`). */
  readonly flowControlWindowBytes?: number;
}

type CountedClient = SpeechClient & { readonly attemptCount: AttemptCount };

class ClientConnection implements DriverConnection {
  readonly bytesWritten = 0;
  readonly bytesRead = 0;
  private closed = false;

  constructor(
    private readonly driver: ClientDriver,
    readonly client: CountedClient,
  ) {}

  async send(): Promise<Outcome> {
    if (this.closed) return failed('CANCELLED');
    const { options, checks } = this.driver;
    const checked = checks.nextIsChecked();
    try {
      const problem = await options.payload.callClient(
        this.client,
        { deadlineMs: this.driver.timeoutMs },
        options.bodyForm ?? 'json',
      );
      return checked ? checks.verdict(problem) : ok;
    } catch (error) {
      if (!(error instanceof ServiceError)) return failed('UNKNOWN');
      return error.code === 'DEADLINE_EXCEEDED' ? timedOut : failed(error.code);
    }
  }

  close(): void {
    this.closed = true;
    this.client.close();
  }
}

export class ClientDriver implements Driver {
  readonly family = 'client';
  readonly timeoutMs: number;
  readonly checks: AnswerChecks;
  private connections: ClientConnection[] = [];
  /** Every connection ever opened, for the attempt counts after close(). */
  private readonly all: ClientConnection[] = [];

  constructor(
    readonly name: 'grpc-client' | 'rest-client',
    readonly options: ClientDriverOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.checks = new AnswerChecks(options.checkEvery);
    if (options.bodyForm === 'raw-wav' && (name !== 'rest-client' || options.payload.rpc !== 'transcribe')) {
      throw new Error('the raw-wav body form is only for rest-client with transcribe');
    }
  }

  /**
   * Calls made and the attempts they took (retries included), over every connection so
   * far: requests are counted once in the results, retries apart from them. The one
   * GetServerInfo call per connection at connect() is in it.
   */
  get attempts(): { readonly calls: number; readonly attempts: number } {
    let calls = 0;
    let attempts = 0;
    for (const connection of this.all) {
      calls += connection.client.attemptCount.calls;
      attempts += connection.client.attemptCount.attempts;
    }
    return { calls, attempts };
  }

  private newClient(): CountedClient {
    const { host, port, tls, apiKey, resilience, flowControlWindowBytes } = this.options;
    const extra = {
      ...(tls ? { tls } : {}),
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(resilience ? { resilience } : {}),
    };
    // One socket per client either way: grpc-js with a subchannel of its own, node:http with maxSockets 1.
    return this.name === 'grpc-client'
      ? // A benchmark counts refusals; it never retries them away.
        new GrpcSpeechClient({
          host,
          port,
          ownConnection: true,
          pushbackAttempts: 1,
          ...extra,
          ...(flowControlWindowBytes === undefined ? {} : { flowControlWindowBytes }),
        })
      : new RestSpeechClient({ host, port, connections: 1, pushbackAttempts: 1, ...extra });
  }

  async connect(policy: ConnectionPolicy): Promise<DriverConnection[]> {
    const connections = Array.from(
      { length: policy.connections },
      () => new ClientConnection(this, this.newClient()),
    );
    this.connections.push(...connections);
    this.all.push(...connections);
    try {
      // Clients connect lazily; one call each opens every connection before the load starts.
      await Promise.all(
        connections.map((connection) => connection.client.serverInfo({ deadlineMs: 10_000 })),
      );
    } catch (error) {
      await this.close();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${this.name}: cannot reach ${host(this.options)}: ${reason}`);
    }
    return connections;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.close();
    this.connections = [];
  }
}

function host(options: ClientDriverOptions): string {
  return `${options.host}:${options.port}`;
}

export function grpcClientDriver(options: ClientDriverOptions): ClientDriver {
  return new ClientDriver('grpc-client', options);
}

export function restClientDriver(options: ClientDriverOptions): ClientDriver {
  return new ClientDriver('rest-client', options);
}
