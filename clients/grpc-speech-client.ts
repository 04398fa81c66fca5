import {
  type ClientDuplexStream,
  type ClientUnaryCall,
  credentials,
  type ServiceError as GrpcError,
  status as GrpcStatus,
  Metadata,
  type StatusObject,
} from '@grpc/grpc-js';
import {
  type ClassifyRequest,
  type ClassifyResponse,
  type RecognitionConfig,
  type ServerInfo,
  SpeechServiceClient,
  type StreamingTranscribeRequest,
  type StreamingTranscribeResponse,
  type TranscribeAndClassifyRequest,
  type TranscribeAndClassifyResponse,
  type TranscribeRequest,
  type TranscribeResponse,
  type UsageResponse,
} from '../proto/gen/speech/v1/speech.js';
import { PushbackError, pushbackTrailer } from '../servers/core/pushback.js';
import { ServiceError } from '../servers/core/service-error.js';
import { codeNameOf } from '../servers/core/status-codes.js';
import { formatHostPort } from '../servers/host-port.js';
import { pumpAudio } from './audio-pump.js';
import { CallClosure } from './call-closure.js';
import type { ClientTls } from './client-tls.js';
import { defaultPushbackAttempts, delayFrom, withPushbackRetry } from './pushback-retry.js';
import { AttemptCount, checkResilience, grpcServiceConfig, type ResilienceOptions } from './resilience.js';
import type { CallOptions, ClientPolicyOptions, SpeechClient } from './speech-client.js';
import { notTlsPattern, notTlsReason, refusedClientCertificate } from './tls-errors.js';

export interface GrpcClientOptions extends ClientPolicyOptions {
  readonly host: string;
  readonly port: number;
  /** A connection of its own instead of grpc-js's shared one (needed for N real connections). */
  readonly ownConnection?: boolean;
  readonly maxMessageBytes?: number;
  /** Without it, plaintext (h2c). */
  readonly tls?: ClientTls;
  /** Retries (grpc-js's retryPolicy), keepalive PINGs, reconnect backoff. */
  readonly resilience?: ResilienceOptions;
  /** `grpc-node.flow_control_window`: the client's HTTP/2 receive windows (node's 64 KiB without). */
  readonly flowControlWindowBytes?: number;
}

/** grpc-js credentials: TLS with the CA (and, for mTLS, the client's pair), else plaintext. */
export function channelCredentials(tls: ClientTls | undefined) {
  if (!tls) return credentials.createInsecure();
  const pem = (text: string | undefined) => (text === undefined ? null : Buffer.from(text));
  return credentials.createSsl(Buffer.from(tls.ca), pem(tls.key), pem(tls.cert));
}

/** The name checked against the server's certificate, when it is not the host. */
export function serverNameOption(tls: ClientTls | undefined): Record<string, string> {
  return tls?.serverName === undefined ? {} : { 'grpc.ssl_target_name_override': tls.serverName };
}

/** grpc-js channel options for the resilience settings (none: grpc-js's defaults). */
function resilienceChannelOptions(
  resilience: ResilienceOptions | undefined,
): Record<string, string | number> {
  const { retry, keepalive, reconnect } = resilience ?? {};
  return {
    ...(retry ? { 'grpc.service_config': grpcServiceConfig('speech.v1.SpeechService', retry) } : {}),
    ...(keepalive
      ? {
          'grpc.keepalive_time_ms': keepalive.intervalMs,
          'grpc.keepalive_timeout_ms': keepalive.timeoutMs,
          'grpc.keepalive_permit_without_calls': 1,
        }
      : {}),
    ...(reconnect
      ? {
          'grpc.initial_reconnect_backoff_ms': reconnect.initialBackoffMs,
          'grpc.max_reconnect_backoff_ms': reconnect.maxBackoffMs,
        }
      : {}),
  };
}

const previousAttemptsKey = 'grpc-previous-rpc-attempts';

function previousAttempts(metadata: Metadata | undefined): number | undefined {
  const value = metadata?.get(previousAttemptsKey)[0];
  return value === undefined ? undefined : Number(value);
}

function fromGrpcError(error: GrpcError | StatusObject | Error): ServiceError {
  if ('code' in error && typeof error.code === 'number') {
    const details = 'details' in error ? error.details : undefined;
    const message = details ?? ('message' in error ? error.message : '');
    const pushback = 'metadata' in error ? error.metadata?.get(pushbackTrailer)[0] : undefined;
    const delayMs = delayFrom(typeof pushback === 'string' ? pushback : undefined, 1);
    if (delayMs !== undefined) return new PushbackError(codeNameOf(error.code), message, delayMs);
    return new ServiceError(codeNameOf(error.code), message);
  }
  return new ServiceError('UNKNOWN', 'message' in error ? error.message : 'unknown error');
}

function callOptions(options: CallOptions | undefined) {
  return options?.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs };
}

type Unary<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: object,
  callback: (error: GrpcError | null, response: Res) => void,
) => unknown;

/**
 * Results of one streaming call while `pumpAudio` writes the audio. However the call
 * ends (the server's status, the deadline, the consumer stopping, the source
 * failing), the pump's waits end with it, so the `finally` never hangs on it.
 */
async function* pumpedResponses(
  call: ClientDuplexStream<StreamingTranscribeRequest, StreamingTranscribeResponse>,
  config: RecognitionConfig,
  audio: AsyncIterable<Uint8Array>,
): AsyncGenerator<StreamingTranscribeResponse> {
  const closure = new CallClosure();
  // grpc-js always ends a call with a status (after 'error' when it is not OK).
  call.on('status', (status: StatusObject) =>
    closure.close(status.code === GrpcStatus.OK ? undefined : fromGrpcError(status)),
  );
  call.on('error', (error: GrpcError) => closure.close(fromGrpcError(error)));
  let sourceFailed = false;
  let sourceError: unknown;
  call.write({ request: { $case: 'config', config } });
  const pump = pumpAudio(audio, closure, {
    write: (chunk) => call.write({ request: { $case: 'audioChunk', audioChunk: Buffer.from(chunk) } }),
    end: () => call.end(),
    emitter: call,
  }).catch((error: unknown) => {
    sourceFailed = true;
    sourceError = error;
    // The read loop below then ends with CANCELLED; the caller gets its source's own error.
    call.cancel();
  });
  try {
    for await (const response of call) yield response as StreamingTranscribeResponse;
  } catch (error) {
    if (sourceFailed) throw sourceError;
    throw fromGrpcError(error as GrpcError);
  } finally {
    // A no-op once the status came; otherwise the consumer stopped early and the call must end.
    call.cancel();
    closure.close(new ServiceError('CANCELLED', 'the consumer stopped reading the results'));
    await pump;
  }
}

/** The service through @grpc/grpc-js and the generated stubs. */
export class GrpcSpeechClient implements SpeechClient {
  readonly protocol = 'grpc';
  private readonly client: SpeechServiceClient;
  private readonly secure: boolean;
  /** Unary calls and their attempts (grpc-js says how many in `grpc-previous-rpc-attempts`). */
  readonly attemptCount = new AttemptCount();

  constructor(private readonly options: GrpcClientOptions) {
    checkResilience(options.resilience);
    this.secure = options.tls !== undefined;
    this.client = new SpeechServiceClient(
      formatHostPort(options.host, options.port),
      channelCredentials(options.tls),
      {
        ...serverNameOption(options.tls),
        'grpc.max_receive_message_length': options.maxMessageBytes ?? 16 * 1024 * 1024,
        'grpc.max_send_message_length': options.maxMessageBytes ?? 16 * 1024 * 1024,
        ...(options.ownConnection ? { 'grpc.use_local_subchannel_pool': 1 } : {}),
        ...(options.flowControlWindowBytes === undefined
          ? {}
          : { 'grpc-node.flow_control_window': options.flowControlWindowBytes }),
        ...resilienceChannelOptions(options.resilience),
      },
    );
  }

  /** Per-call metadata: the key as plain metadata (see ClientPolicyOptions.apiKey). */
  private metadata(): Metadata {
    const metadata = new Metadata();
    if (this.options.apiKey !== undefined) metadata.set('authorization', `Bearer ${this.options.apiKey}`);
    return metadata;
  }

  private unary<Req, Res>(method: Unary<Req, Res>, request: Req, options?: CallOptions): Promise<Res> {
    return withPushbackRetry(
      this.options.pushbackAttempts ?? defaultPushbackAttempts,
      options,
      (attempt) =>
        new Promise((resolve, reject) => {
          const call = method.call(
            this.client,
            request,
            this.metadata(),
            callOptions(attempt),
            (error, response) => (error ? reject(this.explained(fromGrpcError(error))) : resolve(response)),
          ) as ClientUnaryCall;
          // The headers of the attempt that answered, or the status of the last one, say how many came before.
          let previous: number | undefined;
          call.on('metadata', (metadata: Metadata) => {
            previous = previousAttempts(metadata);
          });
          call.on('status', (status: StatusObject) => {
            this.attemptCount.record(1 + (previous ?? previousAttempts(status.metadata) ?? 0));
          });
        }),
    );
  }

  /** What each key has used (the `Usage` RPC). */
  usage(options?: CallOptions): Promise<UsageResponse> {
    return this.unary(this.client.usage as Unary<object, UsageResponse>, {}, options);
  }

  /**
   * grpc-js says only "Failed to connect" when a server closes the connection after the
   * handshake; under mTLS that is how node servers refuse a client certificate.
   */
  private explained(error: ServiceError): ServiceError {
    if (this.secure && error.code === 'UNAVAILABLE' && /Failed to connect/.test(error.message))
      return new ServiceError('UNAVAILABLE', `${error.message}: ${refusedClientCertificate}`);
    if (this.secure && error.code === 'UNAVAILABLE' && notTlsPattern.test(error.message))
      return new ServiceError(
        'UNAVAILABLE',
        `TLS handshake failed: ${notTlsReason}: ${error.message.trim()}`,
      );
    return error;
  }

  classify(request: ClassifyRequest, options?: CallOptions): Promise<ClassifyResponse> {
    return this.unary(this.client.classify as Unary<ClassifyRequest, ClassifyResponse>, request, options);
  }

  transcribe(request: TranscribeRequest, options?: CallOptions): Promise<TranscribeResponse> {
    return this.unary(
      this.client.transcribe as Unary<TranscribeRequest, TranscribeResponse>,
      request,
      options,
    );
  }

  transcribeAndClassify(
    request: TranscribeAndClassifyRequest,
    options?: CallOptions,
  ): Promise<TranscribeAndClassifyResponse> {
    return this.unary(
      this.client.transcribeAndClassify as Unary<TranscribeAndClassifyRequest, TranscribeAndClassifyResponse>,
      request,
      options,
    );
  }

  serverInfo(options?: CallOptions): Promise<ServerInfo> {
    return this.unary(this.client.getServerInfo as Unary<object, ServerInfo>, {}, options);
  }

  /** A generator body, so that no call is started before the first `next()`. */
  async *streamingTranscribe(
    config: RecognitionConfig,
    audio: AsyncIterable<Uint8Array>,
    options?: CallOptions,
  ): AsyncGenerator<StreamingTranscribeResponse> {
    const call = this.client.streamingTranscribe(this.metadata(), callOptions(options));
    yield* pumpedResponses(call, config, audio);
  }

  close(): void {
    this.client.close();
  }
}
