/**
 * TLS handshake failures in words: what node's (OpenSSL's) error codes mean for the
 * operator. Both clients and the drivers report them as UNAVAILABLE with this message.
 */
const reasons: Record<string, string> = {
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not valid yet",
  DEPTH_ZERO_SELF_SIGNED_CERT:
    "the server's certificate is self-signed and not trusted (pass its CA with --ca)",
  SELF_SIGNED_CERT_IN_CHAIN:
    "the server's certificate chains to a CA this client does not trust (check --ca)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "the server's certificate is not signed by a CA this client trusts (check --ca)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    "the server's certificate is not signed by a CA this client trusts (check --ca)",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name this host",
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED:
    'the server requires a client certificate (mTLS; pass --cert and --key)',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'the server refused our client certificate: it has expired',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the server refused our client certificate',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'the server refused our client certificate: not signed by a CA it trusts',
};

/** OpenSSL's words when the other side answered a ClientHello with something that is not TLS. */
export const notTlsPattern = /wrong version number|packet length too long|http request/i;
export const notTlsReason = 'the server does not speak TLS here (is it serving without --tls?)';

/** "TLS handshake failed: …" for a TLS error, undefined for any other. */
export function describeTlsError(error: Error): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  // node reports these as EPROTO with OpenSSL's text.
  if (notTlsPattern.test(error.message)) return `TLS handshake failed: ${notTlsReason}`;
  if (code === 'EPROTO') return `TLS handshake failed: ${error.message.trim()}`;
  const reason = code === undefined ? undefined : reasons[code];
  if (reason !== undefined) return `TLS handshake failed: ${reason} (${code})`;
  if (code?.startsWith('ERR_SSL_') || code?.startsWith('ERR_TLS_'))
    return `TLS handshake failed: ${error.message} (${code})`;
  return undefined;
}

/**
 * What a client can say when a server closes the connection right after the TLS handshake
 * without a word: node's TLS servers (grpc-js, connect-node and Fastify all use them)
 * check a client certificate only once the handshake is done and then close the
 * connection without a TLS alert, so the client cannot see which check failed (a missing
 * certificate usually gets an alert, `certificate required`, but not always in time).
 */
export const refusedClientCertificate =
  'TLS: the server closed the connection right after the handshake without answering: under mTLS that is how it refuses a client certificate that is missing, expired, or not signed by a CA it trusts';
