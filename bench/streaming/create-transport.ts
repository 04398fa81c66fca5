import type { ClientTls } from '../../clients/client-tls.js';
import { GrpcStreamTransport } from './grpc-stream-transport.js';
import { RestStreamTransport } from './rest-stream-transport.js';
import type { StreamingProtocol, StreamTransport } from './stream-transport.js';

/** Without `tls`, plaintext (h2c for gRPC). */
export function createTransport(
  protocol: StreamingProtocol,
  host: string,
  port: number,
  tls?: ClientTls,
): StreamTransport {
  return protocol === 'grpc'
    ? new GrpcStreamTransport(host, port, tls)
    : new RestStreamTransport(host, port, tls);
}
