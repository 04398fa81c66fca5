/**
 * TLS for a client: the CA the server's certificate must chain to and, for mTLS, the
 * client's own certificate and key. Every client and driver takes this one shape.
 */
export interface ClientTls {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
  /** The name checked against the server's certificate (default: the host, or localhost for an IP). */
  readonly serverName?: string;
}

/** The options tls.connect and https.Agent take. */
export function nodeTlsClientOptions(tls: ClientTls, host: string) {
  return {
    ca: tls.ca,
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
    // SNI cannot carry an IP address; the certificate's IP SANs are still checked against the host.
    ...(tls.serverName === undefined ? {} : { servername: tls.serverName }),
    host,
  };
}
