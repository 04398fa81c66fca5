import { saturationLimits, saturationSignals } from '../run/driver-monitor.js';
import type { Repetition } from './results-types.js';

const percent = (share: number) => `${(share * 100).toFixed(0)}%`;
const ms = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ms`;

/**
 * The one warning a (scenario, variant) gets about its driver: in how many repetitions it was
 * saturated, by which signal (event-loop delay, CPU, or both) with the worst value against its
 * threshold, and, apart, a high CPU over windows too short (< 1 s) to judge from. Undefined when
 * there is nothing to say. The terminal summary and every report show this text, once.
 */
export function saturationWarning(reps: readonly Repetition[]): string | undefined {
  const judged = reps.map((rep) => ({ rep, signals: saturationSignals(windowOf(rep)) }));
  const byLoop = judged.filter((j) => j.signals.eventLoop).map((j) => j.rep.resources);
  const byCpu = judged.filter((j) => j.signals.cpu).map((j) => j.rep.resources);
  const saturated = judged.filter((j) => j.signals.eventLoop || j.signals.cpu).length;
  const short = judged.filter((j) => j.signals.cpuWindowTooShort && !j.signals.eventLoop);
  const parts: string[] = [];
  if (saturated > 0) {
    const signals: string[] = [];
    if (byLoop.length > 0)
      signals.push(
        `event-loop delay (p99 up to ${ms(Math.max(...byLoop.map((r) => r.driverEventLoopP99Ms)))} > ${saturationLimits.eventLoopP99Ms} ms, in ${byLoop.length})`,
      );
    if (byCpu.length > 0)
      signals.push(
        `CPU (up to ${percent(Math.max(...byCpu.map((r) => r.driverCpu)))} > ${percent(saturationLimits.cpu)} of a core, in ${byCpu.length})`,
      );
    parts.push(
      `driver saturated in ${saturated} of ${reps.length} repetitions by ${signals.join(' and ')}: the driver may have set the pace`,
    );
  }
  if (short.length > 0) {
    const worst = Math.max(...short.map((j) => j.rep.resources.driverCpu));
    const longest = Math.max(...short.map((j) => j.rep.resources.driverWindowMs ?? 0));
    parts.push(
      `driver CPU up to ${percent(worst)} in ${short.length} of ${reps.length} repetitions over windows of at most ${ms(longest)}: under ${saturationLimits.minCpuWindowMs / 1000} s, too short to judge saturation from CPU`,
    );
  }
  return parts.length === 0 ? undefined : parts.join('; ');
}

function windowOf(rep: Repetition) {
  const { driverCpu, driverEventLoopP99Ms, driverWindowMs } = rep.resources;
  // Results written before the window was recorded: its repetition's warm-up is unknown here, so judge as before.
  return {
    cpu: driverCpu,
    eventLoopP99Ms: driverEventLoopP99Ms,
    ...(driverWindowMs === undefined ? {} : { windowMs: driverWindowMs }),
  };
}
