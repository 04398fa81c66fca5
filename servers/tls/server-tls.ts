/** TLS for a server: its certificate and key, and the CA its clients' certificates must chain to. */
export interface ServerTls {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
  /** mTLS: refuse a client without a certificate signed by `ca`. */
  readonly mtls: boolean;
}

/** The options node:tls, node:https and node:http2's secure servers take. */
export function nodeTlsServerOptions(tls: ServerTls) {
  return {
    cert: tls.cert,
    key: tls.key,
    ca: tls.ca,
    requestCert: tls.mtls,
    rejectUnauthorized: tls.mtls,
  };
}
