import { Agent, type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { CallClosure } from '../../clients/call-closure.js';
import { type ClientTls, nodeTlsClientOptions } from '../../clients/client-tls.js';
import { errorFromHttpBody, errorFromTransport } from '../../clients/http-errors.js';
import { queryOf } from '../../clients/rest-speech-client.js';
import { type RecognitionConfig, StreamingTranscribeResponse } from '../../proto/gen/speech/v1/speech.js';
import { ServiceError } from '../../servers/core/service-error.js';
import { NdjsonLines } from './ndjson-lines.js';
import type { StreamHandlers, StreamingCall, StreamTransport } from './stream-transport.js';

function readBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/**
 * REST through node:http (node:https with `tls`): a chunked POST body of raw PCM out,
 * NDJSON results in, on one keep-alive connection (the one the warm-up opened).
 */
export class RestStreamTransport implements StreamTransport {
  readonly protocol = 'rest';
  private readonly agent: Agent;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly tls?: ClientTls,
  ) {
    const agentOptions = { keepAlive: true, maxSockets: 1 };
    this.agent = tls
      ? new HttpsAgent({ ...agentOptions, ...nodeTlsClientOptions(tls, host) })
      : new Agent(agentOptions);
  }

  private request(method: string, path: string, contentType?: string): ClientRequest {
    return (this.tls ? httpsRequest : httpRequest)({
      agent: this.agent,
      host: this.host,
      port: this.port,
      method,
      path,
      headers: contentType ? { 'content-type': contentType } : {},
    });
  }

  warmUp(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = this.request('GET', '/v1/info');
      const timer = setTimeout(() => request.destroy(new Error('warm-up deadline')), timeoutMs);
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(errorFromTransport(error, error.message === 'warm-up deadline'));
      });
      request.on('response', (incoming) => {
        void readBody(incoming).then((body) => {
          clearTimeout(timer);
          if (incoming.statusCode === 200) resolve();
          else reject(errorFromHttpBody(incoming.statusCode ?? 0, body));
        });
      });
      request.end();
    });
  }

  open(config: RecognitionConfig, handlers: StreamHandlers): StreamingCall {
    const closure = new CallClosure(handlers);
    const request = this.request(
      'POST',
      `/v1/transcribe:stream${queryOf(config)}`,
      'application/octet-stream',
    );
    request.on('error', (error) => closure.close(errorFromTransport(error, false)));
    request.on('response', (incoming) => {
      if (incoming.statusCode !== 200) {
        void readBody(incoming).then((body) =>
          closure.close(errorFromHttpBody(incoming.statusCode ?? 0, body)),
        );
        return;
      }
      readResults(incoming, handlers, closure);
    });
    // The server may answer (and close) before the body is complete: stop writing then.
    void closure.closed.then(() => request.destroy());
    return {
      async write(chunk) {
        if (closure.isClosed) return false;
        if (request.write(chunk)) return true;
        return closure.waitFor(request, 'drain');
      },
      end() {
        if (!closure.isClosed) request.end();
      },
      cancel() {
        closure.close(new ServiceError('CANCELLED', 'cancelled by the scenario'));
      },
    };
  }

  close(): void {
    this.agent.destroy();
  }
}

function readResults(incoming: IncomingMessage, handlers: StreamHandlers, closure: CallClosure): void {
  const lines = new NdjsonLines();
  let sawFinal = false;
  incoming.on('data', (chunk: Buffer) => {
    for (const line of lines.push(chunk)) {
      if (closure.isClosed) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        closure.close(new ServiceError('INTERNAL', `a result line is not JSON: ${line.slice(0, 80)}`));
        return;
      }
      if (parsed && typeof parsed === 'object' && 'error' in parsed) {
        closure.close(errorFromHttpBody(500, JSON.stringify(parsed.error)));
        return;
      }
      const message = StreamingTranscribeResponse.fromJSON(parsed);
      sawFinal ||= message.isFinal;
      handlers.onMessage(message);
    }
  });
  incoming.on('error', (error) => closure.close(errorFromTransport(error, false)));
  incoming.on('end', () =>
    closure.close(
      sawFinal && lines.rest.trim() === ''
        ? undefined
        : new ServiceError('UNAVAILABLE', 'the stream ended before its final result'),
    ),
  );
}
