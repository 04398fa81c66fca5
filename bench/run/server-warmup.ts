import { emptyCounts, mergeCounts, type RequestCounts } from '../accounting/request-counts.js';

/**
 * A fresh server process serves its first thousands of calls slowly while V8 compiles its hot
 * paths: in the quick suite of 2026-12-07 (results/docs-example) every variant's first
 * repetition ran at 40–85% of its later ones (classify grpc 5,307 req/s, then 9,567–12,667), and
 * such a round widened every interval it was in. A repetition's own warm-up (0.25 s) is far too
 * short for that, and lengthening it for every repetition would cost the whole suite. So before a
 * variant's first repetition on a payload, its server is driven in short steps until the
 * throughput stops rising (the warm-up measured, not guessed), and the steps are recorded, never
 * counted as measurement.
 */
export interface ServerWarmupRule {
  readonly stepMs: number;
  readonly minSteps: number;
  readonly maxSteps: number;
  /** A step rises when it beats every earlier one by more than this. */
  readonly risePercent: number;
  /** Settled once this many steps in a row have not risen: V8 tiers up in stages, so one flat step can be a landing between two climbs. */
  readonly settleSteps: number;
  /** A step with fewer answers is no rate to judge (the real recognizer): warming stops there. */
  readonly minAnswersPerStep: number;
}

/**
 * A fresh server process: at least 10 steps (4 s). Throughput that stopped rising is not yet a
 * warm process: the driver warms up beside it on the same two cores, and V8 keeps optimising after
 * the rate looks flat. On 2026-12-07 (a scratch probe, docs/verdicts.md), two fresh processes
 * warmed by the three-flat-steps rule alone (6–9 steps) differed by 5.2% beyond their
 * repetitions' own spread over 10 A/A rounds, the first-warmed one slower in 8 of 10; warmed
 * 10 steps each, by 0.0%.
 */
export const serverWarmupRule: ServerWarmupRule = {
  stepMs: 400,
  minSteps: 10,
  maxSteps: 20,
  risePercent: 10,
  settleSteps: 3,
  minAnswersPerStep: 50,
};

/** A server already warmed for another variant or payload: its process's shared code is compiled. */
export const warmServerRule: ServerWarmupRule = { ...serverWarmupRule, minSteps: 4, maxSteps: 16 };

export interface ServerWarmup {
  readonly stepMs: number;
  /** Throughput of each step, req/s. */
  readonly steps: readonly number[];
  /** Why it stopped: the throughput stopped rising, too few answers to judge, or the step limit. */
  readonly ended: 'settled' | 'too-few-answers' | 'step-limit';
  /** Every request of every step, outside the measured windows but accounted for. */
  readonly counts: RequestCounts;
}

/** Whether warming ends after these steps, and why. */
export function warmupEnd(
  steps: readonly { readonly rps: number; readonly answers: number }[],
  rule: ServerWarmupRule = serverWarmupRule,
): ServerWarmup['ended'] | undefined {
  const last = steps.at(-1);
  if (!last) return undefined;
  if (last.answers < rule.minAnswersPerStep) return 'too-few-answers';
  if (steps.length >= Math.max(rule.minSteps, rule.settleSteps + 1)) {
    const rises = (i: number) =>
      steps[i]!.rps > Math.max(...steps.slice(0, i).map((step) => step.rps)) * (1 + rule.risePercent / 100);
    const recent = steps.map((_, i) => i).slice(-rule.settleSteps);
    if (!recent.some(rises)) return 'settled';
  }
  return steps.length >= rule.maxSteps ? 'step-limit' : undefined;
}

export interface WarmupStep {
  readonly rps: number;
  readonly counts: RequestCounts;
}

/** Runs `step` until warmupEnd says so; the caller's step drives the server for `rule.stepMs`. */
export async function warmUpServer(
  step: () => Promise<WarmupStep>,
  rule: ServerWarmupRule = serverWarmupRule,
  signal?: AbortSignal,
): Promise<ServerWarmup> {
  const measured: { rps: number; answers: number }[] = [];
  let counts = emptyCounts();
  let ended: ServerWarmup['ended'] | undefined;
  while (!ended && !signal?.aborted) {
    const result = await step();
    counts = mergeCounts([counts, result.counts]);
    measured.push({ rps: result.rps, answers: result.counts.ok + result.counts.failed });
    ended = warmupEnd(measured, rule);
  }
  return { stepMs: rule.stepMs, steps: measured.map((s) => s.rps), ended: ended ?? 'step-limit', counts };
}
