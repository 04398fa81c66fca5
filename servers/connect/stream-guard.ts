import { constants, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';

type Handler = (request: Http2ServerRequest, response: Http2ServerResponse) => void;

/** gRPC's timeout header: up to 8 digits and a unit (H, M, S, m, u, n). */
const units: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 0.001, n: 0.000_001 };

export function grpcTimeoutMs(header: string | string[] | undefined): number | undefined {
  const match = typeof header === 'string' ? /^(\d{1,8})([HMSmun])$/.exec(header) : null;
  return match ? Math.max(1, Math.ceil(Number(match[1]) * units[match[2]!]!)) : undefined;
}

/**
 * Two guards connect-node lacks, in front of its handler:
 * - A stream the client already cancelled is not handed to connect. An HTTP/2 "rapid
 *   reset" flood (CVE-2023-44487: streams opened and cancelled at once) otherwise
 *   makes connect start a call for every one of them, seconds of CPU per 10,000 during
 *   which real calls wait. Handing over on the next turn of the event loop lets node
 *   read the RST_STREAM first; the cost is one setImmediate per call.
 * - A call's deadline (grpc-timeout) is enforced even while its request message has
 *   not arrived: connect only watches it once the message is in, so a client that
 *   sends headers and nothing more held the stream until the connection's age limit.
 *   At the deadline the stream is reset (CANCEL); the client's own deadline fires then too.
 */
export function guardStreams(handler: Handler): Handler {
  return (request, response) => {
    setImmediate(() => {
      const stream = request.stream;
      if (stream.destroyed || stream.closed) return;
      const timeoutMs = grpcTimeoutMs(request.headers['grpc-timeout']);
      if (timeoutMs !== undefined) {
        const timer = setTimeout(() => {
          if (!stream.destroyed && !stream.closed) stream.close(constants.NGHTTP2_CANCEL);
        }, timeoutMs);
        timer.unref();
        stream.once('close', () => clearTimeout(timer));
      }
      handler(request, response);
    });
  };
}
