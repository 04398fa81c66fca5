import { Agent, type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import {
  ClassifyRequest,
  ClassifyResponse,
  type RecognitionConfig,
  ServerInfo,
  type StreamingTranscribeResponse,
  TranscribeAndClassifyRequest,
  TranscribeAndClassifyResponse,
  TranscribeRequest,
  TranscribeResponse,
  UsageResponse,
} from '../proto/gen/speech/v1/speech.js';
import { PushbackError } from '../servers/core/pushback.js';
import { ServiceError } from '../servers/core/service-error.js';
import { type ClientTls, nodeTlsClientOptions } from './client-tls.js';
import { errorFromHttpBody, errorFromTransport } from './http-errors.js';
import { defaultPushbackAttempts, delayFrom, withPushbackRetry } from './pushback-retry.js';
import { AttemptCount, checkResilience, type ResilienceOptions, retryBackoffMs } from './resilience.js';
import { streamOverHttp } from './rest-stream-call.js';
import type { CallOptions, ClientPolicyOptions, SpeechClient } from './speech-client.js';
import { describeTlsError, refusedClientCertificate } from './tls-errors.js';

export interface RestClientOptions extends ClientPolicyOptions {
  readonly host: string;
  readonly port: number;
  /** Keep-alive connections at most; requests beyond wait for one. */
  readonly connections?: number;
  /** HTTPS instead of HTTP. */
  readonly tls?: ClientTls;
  /**
   * Retries with gRPC's policy (the same codes, mapped from HTTP statuses and socket
   * errors; the deadline covers every attempt), TCP keep-alive; no reconnect setting,
   * since node:http reconnects on the next request (the retries' backoff paces it).
   */
  readonly resilience?: ResilienceOptions;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Exchange {
  readonly request: ClientRequest;
  readonly response: Promise<IncomingMessage>;
}

function readAll(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

/**
 * Whether the request's socket finished a TLS handshake and was then closed without a
 * byte of answer: how node servers refuse a client certificate (see tls-errors.ts).
 */
function watchHandshake(request: ClientRequest) {
  let secured = false;
  let answered = false;
  request.once('socket', (socket: Socket) => {
    // A reused keep-alive socket has shaken hands and answered before.
    if (!socket.connecting) {
      secured = true;
      answered = true;
      return;
    }
    socket.once('secureConnect', () => {
      secured = true;
    });
    socket.once('data', () => {
      answered = true;
    });
  });
  return { refused: (error: Error) => secured && !answered && describeTlsError(error) === undefined };
}

/** The server's retry delay (`Retry-After-Ms`, else `Retry-After` in seconds) makes the error retryable. */
function withPushback(error: ServiceError, incoming: IncomingMessage): ServiceError {
  const header = (name: string) => {
    const value = incoming.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const delayMs = delayFrom(header('retry-after-ms'), 1) ?? delayFrom(header('retry-after'), 1000);
  return delayMs === undefined ? error : new PushbackError(error.code, error.message, delayMs);
}

export function queryOf(config: RecognitionConfig): string {
  const query = new URLSearchParams();
  if (config.encoding)
    query.set('encoding', ['AUDIO_ENCODING_UNSPECIFIED', 'LINEAR16', 'WAV'][config.encoding]!);
  if (config.sampleRateHertz) query.set('sampleRateHertz', String(config.sampleRateHertz));
  if (config.languageCode) query.set('languageCode', config.languageCode);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** The service through its REST API (HTTP/1.1, keep-alive, proto3 JSON bodies). */
export class RestSpeechClient implements SpeechClient {
  readonly protocol = 'rest';
  private readonly agent: Agent;
  /** Unary calls and the attempts they took. */
  readonly attemptCount = new AttemptCount();

  constructor(private readonly options: RestClientOptions) {
    checkResilience(options.resilience);
    const keepalive = options.resilience?.keepalive;
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.connections ?? 1,
      ...(keepalive ? { keepAliveMsecs: keepalive.intervalMs } : {}),
    };
    this.agent = options.tls
      ? new HttpsAgent({ ...agentOptions, ...nodeTlsClientOptions(options.tls, options.host) })
      : new Agent(agentOptions);
  }

  private request(method: string, path: string, contentType: string | undefined): ClientRequest {
    return (this.options.tls ? httpsRequest : httpRequest)({
      agent: this.agent,
      host: this.options.host,
      port: this.options.port,
      method,
      path,
      headers: {
        ...(contentType ? { 'content-type': contentType } : {}),
        ...(this.options.apiKey === undefined ? {} : { authorization: `Bearer ${this.options.apiKey}` }),
      },
    });
  }

  private open(
    method: string,
    path: string,
    contentType: string | undefined,
    options?: CallOptions,
  ): Exchange {
    let deadlineHit = false;
    const request = this.request(method, path, contentType);
    const handshake = this.options.tls ? watchHandshake(request) : undefined;
    const timer =
      options?.deadlineMs === undefined
        ? undefined
        : setTimeout(() => {
            deadlineHit = true;
            request.destroy(new Error('deadline exceeded'));
          }, options.deadlineMs);
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      request.on('response', (incoming) => {
        incoming.on('end', () => clearTimeout(timer));
        incoming.on('error', () => clearTimeout(timer));
        resolve(incoming);
      });
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(
          handshake?.refused(error)
            ? new ServiceError('UNAVAILABLE', refusedClientCertificate)
            : errorFromTransport(error, deadlineHit),
        );
      });
    });
    return { request, response };
  }

  private exchange(
    method: string,
    path: string,
    body: Uint8Array | string | undefined,
    contentType: string | undefined,
    options?: CallOptions,
  ): Promise<unknown> {
    return withPushbackRetry(this.options.pushbackAttempts ?? defaultPushbackAttempts, options, (attempt) =>
      this.resilientExchange(method, path, body, contentType, attempt),
    );
  }

  /**
   * One call as the resilience settings retry it (transport failures, with backoff); the
   * server's own retry delay (pushback) is honoured around it, in exchange().
   */
  private async resilientExchange(
    method: string,
    path: string,
    body: Uint8Array | string | undefined,
    contentType: string | undefined,
    options?: CallOptions,
  ): Promise<unknown> {
    const retry = this.options.resilience?.retry;
    const deadline = options?.deadlineMs === undefined ? undefined : performance.now() + options.deadlineMs;
    for (let attempt = 1; ; attempt++) {
      const left = deadline === undefined ? undefined : deadline - performance.now();
      try {
        const answer = await this.attempt(
          method,
          path,
          body,
          contentType,
          left === undefined ? {} : { deadlineMs: left },
        );
        this.attemptCount.record(attempt);
        return answer;
      } catch (error) {
        const retryable =
          retry !== undefined &&
          attempt < retry.maxAttempts &&
          error instanceof ServiceError &&
          retry.retryableCodes.includes(error.code);
        if (!retryable) {
          this.attemptCount.record(attempt);
          throw error;
        }
        const wait = retryBackoffMs(retry, attempt);
        if (deadline !== undefined && performance.now() + wait >= deadline) {
          // As grpc-js: the deadline passes while waiting to retry, and that is how the call ends.
          await sleep(Math.max(0, deadline - performance.now()));
          this.attemptCount.record(attempt);
          throw new ServiceError('DEADLINE_EXCEEDED', `deadline exceeded after ${attempt} attempts`);
        }
        await sleep(wait);
      }
    }
  }

  private async attempt(
    method: string,
    path: string,
    body: Uint8Array | string | undefined,
    contentType: string | undefined,
    options: CallOptions,
  ): Promise<unknown> {
    if (options.deadlineMs !== undefined && options.deadlineMs <= 0)
      throw new ServiceError('DEADLINE_EXCEEDED', 'deadline exceeded');
    const { request, response } = this.open(method, path, contentType, options);
    request.end(body);
    const incoming = await response;
    const text = await readAll(incoming).catch((error: Error) => {
      throw errorFromTransport(error, false);
    });
    if (incoming.statusCode !== 200)
      throw withPushback(errorFromHttpBody(incoming.statusCode ?? 0, text), incoming);
    try {
      return JSON.parse(text);
    } catch {
      throw new ServiceError('INTERNAL', `server answered ${path} with a body that is not JSON`);
    }
  }

  private postJson(path: string, body: unknown, options?: CallOptions): Promise<unknown> {
    return this.exchange('POST', path, JSON.stringify(body), 'application/json', options);
  }

  async classify(request: ClassifyRequest, options?: CallOptions): Promise<ClassifyResponse> {
    return ClassifyResponse.fromJSON(
      await this.postJson('/v1/classify', ClassifyRequest.toJSON(request), options),
    );
  }

  async transcribe(request: TranscribeRequest, options?: CallOptions): Promise<TranscribeResponse> {
    const body = TranscribeRequest.toJSON(request);
    return TranscribeResponse.fromJSON(await this.postJson('/v1/transcribe', body, options));
  }

  /** The pragmatic REST upload: the audio as the body, the config in the query. */
  async transcribeRaw(
    audio: Uint8Array,
    config: RecognitionConfig,
    options?: CallOptions,
  ): Promise<TranscribeResponse> {
    const answer = await this.exchange(
      'POST',
      `/v1/transcribe${queryOf(config)}`,
      audio,
      'application/octet-stream',
      options,
    );
    return TranscribeResponse.fromJSON(answer);
  }

  async transcribeAndClassify(
    request: TranscribeAndClassifyRequest,
    options?: CallOptions,
  ): Promise<TranscribeAndClassifyResponse> {
    const body = TranscribeAndClassifyRequest.toJSON(request);
    return TranscribeAndClassifyResponse.fromJSON(
      await this.postJson('/v1/transcribe-and-classify', body, options),
    );
  }

  /** What each key has used (`GET /v1/usage`). */
  async usage(options?: CallOptions): Promise<UsageResponse> {
    return UsageResponse.fromJSON(await this.exchange('GET', '/v1/usage', undefined, undefined, options));
  }

  async serverInfo(options?: CallOptions): Promise<ServerInfo> {
    return ServerInfo.fromJSON(await this.exchange('GET', '/v1/info', undefined, undefined, options));
  }

  /** A generator body, so that no request (and no socket) is opened before the first `next()`. */
  async *streamingTranscribe(
    config: RecognitionConfig,
    audio: AsyncIterable<Uint8Array>,
    options?: CallOptions,
  ): AsyncGenerator<StreamingTranscribeResponse> {
    const request = this.request(
      'POST',
      `/v1/transcribe:stream${queryOf(config)}`,
      'application/octet-stream',
    );
    yield* streamOverHttp(request, audio, options?.deadlineMs);
  }

  close(): void {
    this.agent.destroy();
  }
}
