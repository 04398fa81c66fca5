/**
 * The servers one process can start, each on its own port around the same core: gRPC
 * (grpc-js), REST over HTTP/1.1 (JSON, protobuf and raw-audio bodies), REST over HTTP/2
 * (h2c), gRPC again from connect-node, and the browser's protocols (Connect and gRPC-Web
 * over HTTP/1.1, servers/web). Benchmark variants map onto these.
 */
export const serverProtocols = ['grpc', 'rest', 'rest-h2', 'connect', 'web'] as const;
export type ServerProtocol = (typeof serverProtocols)[number];

export interface ServerProtocolInfo {
  /** The CLI option that sets its port. */
  readonly portOption: string;
  readonly defaultPort: number;
  /** Its key in the `listening` event `serve` prints. */
  readonly eventKey: string;
  /** For start-up messages. */
  readonly title: string;
}

export const serverProtocolInfo: Record<ServerProtocol, ServerProtocolInfo> = {
  grpc: { portOption: 'grpc-port', defaultPort: 50_051, eventKey: 'grpc', title: 'gRPC (grpc-js)' },
  rest: { portOption: 'rest-port', defaultPort: 8_080, eventKey: 'rest', title: 'REST over HTTP/1.1' },
  'rest-h2': {
    portOption: 'rest-h2-port',
    defaultPort: 8_081,
    eventKey: 'restH2',
    title: 'REST over HTTP/2 (h2c)',
  },
  connect: {
    portOption: 'connect-port',
    defaultPort: 50_052,
    eventKey: 'connect',
    title: 'gRPC (connect-node)',
  },
  web: {
    portOption: 'web-port',
    defaultPort: 8_082,
    eventKey: 'web',
    title: 'Connect and gRPC-Web over HTTP/1.1 (connect-node)',
  },
};
