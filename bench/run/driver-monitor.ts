import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface DriverLoad {
  /** CPU time of this process as a share of one core over the window (1 = 100%). */
  readonly cpu: number;
  readonly eventLoopP99Ms: number;
  /** How long the window was: under `minCpuWindowMs`, CPU cannot judge saturation. */
  readonly windowMs: number;
  readonly saturated: boolean;
}

/** Past these, the driver and not the server may have set the pace. */
export const saturationLimits = { cpu: 0.9, eventLoopP99Ms: 10, minCpuWindowMs: 1000 } as const;

/**
 * Which signal says the driver was saturated. CPU counts only over a window of at least a second:
 * over 50 ms, connecting and the first burst alone can fill a core.
 */
export function saturationSignals(load: {
  readonly cpu: number;
  readonly eventLoopP99Ms: number;
  readonly windowMs?: number;
}): { readonly cpu: boolean; readonly eventLoop: boolean; readonly cpuWindowTooShort: boolean } {
  const cpuHigh = load.cpu > saturationLimits.cpu;
  const longEnough = (load.windowMs ?? Number.POSITIVE_INFINITY) >= saturationLimits.minCpuWindowMs;
  return {
    cpu: cpuHigh && longEnough,
    eventLoop: load.eventLoopP99Ms > saturationLimits.eventLoopP99Ms,
    cpuWindowTooShort: cpuHigh && !longEnough,
  };
}

/** Watches the driver's own process during one run, to flag runs it may have limited. */
const resolutionMs = 10;

export class DriverMonitor {
  private readonly histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  private readonly startCpu = process.cpuUsage();
  private readonly startWall = performance.now();

  constructor() {
    this.histogram.enable();
  }

  stop(): DriverLoad {
    this.histogram.disable();
    const used = process.cpuUsage(this.startCpu);
    const windowMs = performance.now() - this.startWall;
    const cpu = windowMs > 0 ? (used.user + used.system) / (windowMs * 1000) : 0;
    // Node records the whole interval between its timer's firings, the resolution included.
    const eventLoopP99Ms = Math.max(0, this.histogram.percentile(99) / 1e6 - resolutionMs);
    const signals = saturationSignals({ cpu, eventLoopP99Ms, windowMs });
    return { cpu, eventLoopP99Ms, windowMs, saturated: signals.cpu || signals.eventLoop };
  }
}
