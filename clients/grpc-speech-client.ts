import {
  type ClientDuplexStream,
  credentials,
  type ServiceError as GrpcError,
  Metadata,
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
} from '../proto/gen/speech/v1/speech.js';
import { ServiceError } from '../servers/core/service-error.js';
import { codeNameOf } from '../servers/core/status-codes.js';
import { formatHostPort } from '../servers/host-port.js';
import type { CallOptions, SpeechClient } from './speech-client.js';

export interface GrpcClientOptions {
  readonly host: string;
  readonly port: number;
  /** A connection of its own instead of grpc-js's shared one (needed for N real connections). */
  readonly ownConnection?: boolean;
  readonly maxMessageBytes?: number;
}

function fromGrpcError(error: GrpcError | Error): ServiceError {
  if ('code' in error && typeof error.code === 'number') {
    return new ServiceError(codeNameOf(error.code), (error as GrpcError).details ?? error.message);
  }
  return new ServiceError('UNKNOWN', error.message);
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

async function* pumpedResponses(
  call: ClientDuplexStream<StreamingTranscribeRequest, StreamingTranscribeResponse>,
  config: RecognitionConfig,
  audio: AsyncIterable<Uint8Array>,
): AsyncGenerator<StreamingTranscribeResponse> {
  let pumpError: unknown;
  const pump = (async () => {
    call.write({ request: { $case: 'config', config } });
    for await (const chunk of audio) {
      if (!call.write({ request: { $case: 'audioChunk', audioChunk: Buffer.from(chunk) } })) {
        await new Promise((resolve) => call.once('drain', resolve));
      }
    }
    call.end();
  })().catch((error: unknown) => {
    pumpError = error;
    call.cancel();
  });
  try {
    for await (const response of call) yield response as StreamingTranscribeResponse;
  } catch (error) {
    if (pumpError) throw pumpError;
    throw fromGrpcError(error as GrpcError);
  } finally {
    call.cancel();
    await pump;
  }
}

/** The service through @grpc/grpc-js and the generated stubs. */
export class GrpcSpeechClient implements SpeechClient {
  readonly protocol = 'grpc';
  private readonly client: SpeechServiceClient;

  constructor(options: GrpcClientOptions) {
    this.client = new SpeechServiceClient(
      formatHostPort(options.host, options.port),
      credentials.createInsecure(),
      {
        'grpc.max_receive_message_length': options.maxMessageBytes ?? 16 * 1024 * 1024,
        'grpc.max_send_message_length': options.maxMessageBytes ?? 16 * 1024 * 1024,
        ...(options.ownConnection ? { 'grpc.use_local_subchannel_pool': 1 } : {}),
      },
    );
  }

  private unary<Req, Res>(method: Unary<Req, Res>, request: Req, options?: CallOptions): Promise<Res> {
    return new Promise((resolve, reject) => {
      method.call(this.client, request, new Metadata(), callOptions(options), (error, response) =>
        error ? reject(fromGrpcError(error)) : resolve(response),
      );
    });
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

  streamingTranscribe(
    config: RecognitionConfig,
    audio: AsyncIterable<Uint8Array>,
    options?: CallOptions,
  ): AsyncGenerator<StreamingTranscribeResponse> {
    return pumpedResponses(
      this.client.streamingTranscribe(new Metadata(), callOptions(options)),
      config,
      audio,
    );
  }

  close(): void {
    this.client.close();
  }
}
