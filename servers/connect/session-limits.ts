import type { Http2Server, Http2Session } from 'node:http2';
import type { ConnectionLimits } from '../connection-limits.js';

/**
 * grpc-js's `grpc.max_connection_idle_ms` and `grpc.max_connection_age_ms` for a plain
 * node:http2 server, which has neither: a session with no stream open for idleTimeoutMs
 * is closed (GOAWAY), a session older than maxConnectionAgeMs is closed likewise, and
 * one still open connectionAgeGraceMs after that GOAWAY is destroyed with its streams.
 */
export function applySessionLimits(server: Http2Server, limits: ConnectionLimits): void {
  server.on('session', (session: Http2Session) => {
    let open = 0;
    let idle: NodeJS.Timeout | undefined;
    let grace: NodeJS.Timeout | undefined;
    const goAway = () => {
      if (!session.closed && !session.destroyed) session.close();
    };
    const startIdle = () => {
      idle = setTimeout(goAway, limits.idleTimeoutMs);
      idle.unref();
    };
    const age = setTimeout(() => {
      goAway();
      grace = setTimeout(() => session.destroy(), limits.connectionAgeGraceMs);
      grace.unref();
    }, limits.maxConnectionAgeMs);
    age.unref();
    startIdle();
    session.on('stream', (stream) => {
      open += 1;
      clearTimeout(idle);
      stream.once('close', () => {
        open -= 1;
        if (open === 0 && !session.closed) startIdle();
      });
    });
    session.once('close', () => {
      clearTimeout(idle);
      clearTimeout(age);
      clearTimeout(grace);
    });
  });
}
