/**
 * The server's CPU time over one run's measured window, read from /proc at the window's
 * start and end. With the run's req/s it says what each request cost the server, and
 * whether the server was busy all the time, i.e. whether it, not the load generator,
 * set the number.
 */
import type { ServerProcess } from '../run/server-process.js';

export class ServerWindow {
  private cpuAtStart: number | undefined;
  private cpuAtEnd: number | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly server: ServerProcess,
    private readonly durationMs: number,
  ) {}

  /** Call when the load starts: the window opens after the run's own warm-up, if it has one. */
  loadStarted(warmupMs: number): void {
    this.timers.push(
      setTimeout(() => {
        this.cpuAtStart = this.server.sample()?.cpuUs;
      }, warmupMs),
      setTimeout(() => {
        this.cpuAtEnd = this.server.sample()?.cpuUs;
      }, warmupMs + this.durationMs),
    );
  }

  /** The server's CPU µs in the window; undefined if the window was not seen whole. */
  cpuUs(): number | undefined {
    for (const timer of this.timers) clearTimeout(timer);
    if (this.cpuAtStart === undefined || this.cpuAtEnd === undefined) return undefined;
    return this.cpuAtEnd - this.cpuAtStart;
  }
}
