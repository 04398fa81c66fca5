import { performance } from 'node:perf_hooks';
import type { FaultProxy } from './fault-proxy.js';
import { type FaultWindow, faultParams, type ScheduledFault } from './fault-spec.js';

/**
 * Runs a fault schedule on a proxy: each fault goes on at its `atMs` and off at its
 * `untilMs`, counted from `start()`. One timer per edge, all cleared by `stop()`, which
 * also turns off whatever is still on and returns when each fault was really on.
 */
export class FaultSchedule {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly windows: { startMs: number; endMs?: number; fault: ScheduledFault }[] = [];
  private readonly ids = new Map<ScheduledFault, Promise<number>>();
  private startedAt = 0;
  private readonly problems: string[] = [];

  constructor(
    private readonly proxy: FaultProxy,
    private readonly faults: readonly ScheduledFault[],
  ) {}

  start(): void {
    this.startedAt = performance.now();
    for (const fault of this.faults) {
      this.timers.push(setTimeout(() => this.on(fault), fault.atMs));
      if (fault.untilMs !== undefined) this.timers.push(setTimeout(() => this.off(fault), fault.untilMs));
    }
  }

  /** Faults whose edge failed (the proxy could not listen again, say). */
  get failures(): readonly string[] {
    return this.problems;
  }

  async stop(): Promise<FaultWindow[]> {
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
    await Promise.all([...this.ids.keys()].map((fault) => this.off(fault)));
    return this.windows.map(({ startMs, endMs, fault }) => ({
      type: fault.fault.type,
      direction: fault.direction,
      startMs: Math.round(startMs),
      ...(endMs === undefined ? {} : { endMs: Math.round(endMs) }),
      params: faultParams(fault.fault),
    }));
  }

  private elapsed(): number {
    return performance.now() - this.startedAt;
  }

  private on(fault: ScheduledFault): void {
    const window: { startMs: number; endMs?: number; fault: ScheduledFault } = {
      startMs: this.elapsed(),
      fault,
    };
    this.windows.push(window);
    const id = this.proxy.add(fault.direction, fault.fault);
    id.catch((error: unknown) => this.problems.push(`${fault.fault.type} on: ${String(error)}`));
    this.ids.set(fault, id);
  }

  private async off(fault: ScheduledFault): Promise<void> {
    const id = this.ids.get(fault);
    if (id === undefined) return;
    this.ids.delete(fault);
    const window = this.windows.find((entry) => entry.fault === fault && entry.endMs === undefined);
    try {
      await this.proxy.remove(await id);
    } catch (error) {
      this.problems.push(`${fault.fault.type} off: ${String(error)}`);
    }
    if (window) window.endMs = this.elapsed();
  }
}
