/**
 * `run --servers grpc=HOST:PORT,rest=HOST:PORT,...`: the already-running servers a run
 * drives instead of starting its own (docker compose, Kubernetes, another machine). A
 * protocol may be listed more than once, for servers with different speech engines.
 */
import { type ServerProtocol, serverProtocols } from '../../servers/server-protocols.js';

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

export type ServerList = ReadonlyArray<{
  readonly protocol: ServerProtocol;
  readonly address: ServerAddress;
}>;

/** Parses the list, recording every problem. */
export function parseServerList(text: string, problems: string[]): ServerList {
  const servers: { protocol: ServerProtocol; address: ServerAddress }[] = [];
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    const name = equals < 0 ? entry : entry.slice(0, equals);
    const address = equals < 0 ? '' : entry.slice(equals + 1);
    if (!(serverProtocols as readonly string[]).includes(name)) {
      problems.push(
        `--servers: "${entry}" must be PROTOCOL=HOST:PORT with PROTOCOL one of ${serverProtocols.join(', ')}`,
      );
      continue;
    }
    const protocol = name as ServerProtocol;
    const parsed = parseHostPort(address);
    if (!parsed) {
      problems.push(`--servers: ${protocol}'s address must be HOST:PORT (port 1 to 65535), not "${address}"`);
      continue;
    }
    if (
      servers.some(
        (s) => s.protocol === protocol && s.address.host === parsed.host && s.address.port === parsed.port,
      )
    )
      problems.push(`--servers: ${entry} is given more than once`);
    else servers.push({ protocol, address: parsed });
  }
  return servers;
}

/** `host:port`, `[v6::addr]:port`. */
function parseHostPort(text: string): ServerAddress | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9._-]+)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1] ?? match[2]!, port };
}

export function formatServerList(servers: ServerList): string {
  return servers
    .map(
      ({ protocol, address: { host, port } }) =>
        `${protocol}=${host.includes(':') ? `[${host}]` : host}:${port}`,
    )
    .join(',');
}
