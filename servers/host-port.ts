/** `host:port`, with IPv6 literals bracketed as URLs and gRPC targets need. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}
