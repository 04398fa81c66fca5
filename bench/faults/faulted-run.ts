import type { DriverConnection } from '../drivers/driver.js';
import { FaultProxy, type FaultProxyOptions } from './fault-proxy.js';
import { FaultSchedule } from './fault-schedule.js';
import type { FaultWindow, ScheduledFault } from './fault-spec.js';
import { OutageRecorder, type OutageSummary } from './outage-recorder.js';

/** What a repetition with faults records (results.json `repetitions[].faults`). */
export interface FaultRecord extends OutageSummary {
  /** When each fault was on; all times are milliseconds from the start of load, warm-up included. */
  readonly windows: readonly FaultWindow[];
  /** Faults that could not be turned on or off as scheduled. */
  readonly problems: readonly string[];
}

/**
 * One repetition's faults: a proxy in front of the server for the driver to connect to,
 * the schedule, and the outage recorder, started together with the load.
 */
export class FaultedRun {
  private readonly schedule: FaultSchedule;
  private readonly recorder = new OutageRecorder();

  private constructor(
    private readonly proxy: FaultProxy,
    faults: readonly ScheduledFault[],
  ) {
    this.schedule = new FaultSchedule(proxy, faults);
  }

  /** `path`: an emulated network under the faults (bench/network), for scenarios that have both. */
  static async start(
    faults: readonly ScheduledFault[],
    upstreamHost: string,
    upstreamPort: number,
    path: Pick<FaultProxyOptions, 'network' | 'proxyRttMs'> = {},
  ) {
    return new FaultedRun(await FaultProxy.start({ upstreamHost, upstreamPort, ...path }), faults);
  }

  /** Where the driver connects instead of the server. */
  get port(): number {
    return this.proxy.port;
  }

  /** Call when load starts: the schedule's clock starts here. */
  begin(connections: readonly DriverConnection[]): DriverConnection[] {
    const wrapped = this.recorder.wrap(connections);
    this.recorder.start();
    this.schedule.start();
    return wrapped;
  }

  async finish(): Promise<FaultRecord> {
    const windows = await this.schedule.stop();
    return { windows, problems: this.schedule.failures, ...this.recorder.summary() };
  }

  close(): Promise<void> {
    return this.proxy.close();
  }
}
