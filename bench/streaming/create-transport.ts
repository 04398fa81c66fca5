import { GrpcStreamTransport } from './grpc-stream-transport.js';
import { RestStreamTransport } from './rest-stream-transport.js';
import type { StreamingProtocol, StreamTransport } from './stream-transport.js';

export function createTransport(protocol: StreamingProtocol, host: string, port: number): StreamTransport {
  return protocol === 'grpc' ? new GrpcStreamTransport(host, port) : new RestStreamTransport(host, port);
}
