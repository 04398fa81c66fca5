import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface DriverLoad {
  /** CPU time of this process as a share of one core over the window (1 = 100%). */
  readonly cpu: number;
  readonly eventLoopP99Ms: number;
  readonly saturated: boolean;
}

/** Past these, the driver and not the server may have set the pace. */
export const saturationLimits = { cpu: 0.9, eventLoopP99Ms: 10 } as const;

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
    const wallUs = (performance.now() - this.startWall) * 1000;
    const cpu = wallUs > 0 ? (used.user + used.system) / wallUs : 0;
    // Node records the whole interval between its timer's firings, the resolution included.
    const eventLoopP99Ms = Math.max(0, this.histogram.percentile(99) / 1e6 - resolutionMs);
    return {
      cpu,
      eventLoopP99Ms,
      saturated: cpu > saturationLimits.cpu || eventLoopP99Ms > saturationLimits.eventLoopP99Ms,
    };
  }
}
