/**
 * Threshold expressions, checked after a run, and their JUnit report.
 *
 * Grammar (strict; whitespace only around the operator):
 *
 *   threshold := [scenario "."] subject "." metric op number [unit]
 *   subject   := variant | variant "_over_" variant      (a ratio: the first ÷ the second)
 *   metric    := throughput | p50 | p90 | p99 | p999 | errors
 *   op        := "<" | "<=" | ">" | ">="
 *   number    := digits ["." digits]
 *
 * Units: latency (p50…p999) needs one of us, µs, ms, s; throughput takes none, req/s or rps;
 * errors takes none (a count of failed and timed-out requests) or % (their share of requests
 * sent); a ratio takes none or x. `rest` stands for `rest-json-h1`. Without a scenario, or with
 * `*`, the threshold holds for every scenario that ran the variant(s).
 *
 * Examples: `classify.grpc.p99 < 20ms`, `classify.rest-json-h1.throughput > 5000`,
 * `classify.grpc_over_rest.throughput > 1.0`, `grpc.errors < 0.1%`.
 *
 * The measured value is the median over repetitions (the run's estimate where it has one).
 */
import type { Results, ScenarioResult } from '../bench/results/results-types.js';
import { quantile } from '../bench/stats/quantile.js';
import { escapeXml, formatNumber, formatPercent } from './format.js';

/** The exit code for a breached threshold: `ExitCode.thresholdsBreached` in cli/exit-codes.ts. */
export const thresholdsBreachedExitCode = 3;

export const thresholdMetrics = ['throughput', 'p50', 'p90', 'p99', 'p999', 'errors'] as const;
export type ThresholdMetric = (typeof thresholdMetrics)[number];
export type Operator = '<' | '<=' | '>' | '>=';
type Unit = 'us' | 'ms' | 's' | 'rps' | 'count' | 'percent' | 'ratio';

export const variantAliases: Readonly<Record<string, string>> = { rest: 'rest-json-h1' };

export interface Threshold {
  /** As written. */
  readonly expression: string;
  /** Undefined: every scenario that ran the variant(s). */
  readonly scenario: string | undefined;
  readonly variant: string;
  /** Set for a ratio: variant ÷ over. */
  readonly over: string | undefined;
  readonly metric: ThresholdMetric;
  readonly operator: Operator;
  /** In `unit`. */
  readonly bound: number;
  readonly unit: Unit;
}

export class ThresholdSyntaxError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`malformed thresholds:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ThresholdSyntaxError';
  }
}

const namePattern = /^[a-z0-9][a-z0-9-]*$/;
const expressionPattern =
  /^(?<target>\S+?)\s*(?<op><=|>=|<|>|==|=|!=)\s*(?<number>\S+?)\s*(?<unit>[a-zA-Zµμ%/]*)$/;
const numberPattern = /^\d+(\.\d+)?$/;

const latencyUnits: Record<string, Unit> = { us: 'us', µs: 'us', μs: 'us', ms: 'ms', s: 's' };

function unitFor(metric: ThresholdMetric, ratio: boolean, written: string): Unit | string {
  if (ratio) {
    if (metric === 'errors') return 'errors has no ratio form: bound the error rate of each variant instead';
    return written === '' || written === 'x' ? 'ratio' : `a ratio takes no unit (or x), not "${written}"`;
  }
  if (metric === 'throughput') {
    return written === '' || written === 'req/s' || written === 'rps'
      ? 'rps'
      : `throughput takes no unit, req/s or rps, not "${written}"`;
  }
  if (metric === 'errors') {
    if (written === '') return 'count';
    return written === '%' ? 'percent' : `errors takes no unit (a count) or %, not "${written}"`;
  }
  if (written === '') return `${metric} needs a unit: us, ms or s`;
  return latencyUnits[written] ?? `${metric} takes us, µs, ms or s, not "${written}"`;
}

function parseVariant(name: string, problems: string[], what: string): string {
  const variant = variantAliases[name] ?? name;
  if (!namePattern.test(variant)) problems.push(`${what} "${name}" is not a variant name`);
  return variant;
}

/** Parses one expression: the threshold, or every problem with it. */
export function parseThreshold(expression: string): Threshold | string[] {
  const text = expression.trim();
  const match = expressionPattern.exec(text);
  if (!match?.groups) {
    return [
      'expected scenario.variant.metric, an operator (<, <=, >, >=) and a bound, e.g. "classify.grpc.p99 < 20ms"',
    ];
  }
  const { target = '', op = '', number = '', unit: writtenUnit = '' } = match.groups;
  const problems: string[] = [];
  if (op === '==' || op === '=' || op === '!=')
    problems.push(`operator "${op}" is not allowed: use <, <=, > or >=`);
  const parts = target.split('.');
  if (parts.length < 2 || parts.length > 3) {
    problems.push(`"${target}" should be scenario.variant.metric (or variant.metric for every scenario)`);
    return problems;
  }
  const [scenarioPart, subject = '', metricPart = ''] = parts.length === 3 ? parts : [undefined, ...parts];
  if (scenarioPart !== undefined && scenarioPart !== '*' && !namePattern.test(scenarioPart)) {
    problems.push(`"${scenarioPart}" is not a scenario name (lower-case letters, digits and dashes)`);
  }
  const sides = subject.split('_over_');
  if (sides.length > 2 || sides.some((s) => s === ''))
    problems.push(`"${subject}" should be a variant or A_over_B`);
  const variant = parseVariant(sides[0] ?? '', problems, 'variant');
  const over = sides.length === 2 ? parseVariant(sides[1] ?? '', problems, 'variant') : undefined;
  if (over !== undefined && over === variant) problems.push(`a ratio of ${variant} over itself is always 1`);
  const metric = thresholdMetrics.find((m) => m === metricPart);
  if (metric === undefined)
    problems.push(`unknown metric "${metricPart}": use one of ${thresholdMetrics.join(', ')}`);
  if (!numberPattern.test(number)) problems.push(`bound "${number}" is not a plain non-negative number`);
  const unit = metric === undefined ? undefined : unitFor(metric, over !== undefined, writtenUnit);
  if (unit !== undefined && !['us', 'ms', 's', 'rps', 'count', 'percent', 'ratio'].includes(unit))
    problems.push(unit);
  if (problems.length > 0 || metric === undefined || unit === undefined) return problems;
  return {
    expression: text,
    scenario: scenarioPart === undefined || scenarioPart === '*' ? undefined : scenarioPart,
    variant,
    over,
    metric,
    operator: op as Operator,
    bound: Number(number),
    unit: unit as Unit,
  };
}

/** Parses every expression and reports every problem at once. */
export function parseThresholds(expressions: readonly string[]): {
  readonly thresholds: Threshold[];
  readonly problems: string[];
} {
  const thresholds: Threshold[] = [];
  const problems: string[] = [];
  expressions.forEach((expression, i) => {
    const parsed = parseThreshold(expression);
    if (Array.isArray(parsed)) {
      for (const problem of parsed) problems.push(`threshold ${i + 1} "${expression}": ${problem}`);
    } else {
      thresholds.push(parsed);
    }
  });
  return { thresholds, problems };
}

/** Like parseThresholds, but throws a ThresholdSyntaxError listing every problem. */
export function parseThresholdsStrict(expressions: readonly string[]): Threshold[] {
  const { thresholds, problems } = parseThresholds(expressions);
  if (problems.length > 0) throw new ThresholdSyntaxError(problems);
  return thresholds;
}

export interface ThresholdOutcome {
  readonly expression: string;
  readonly threshold: Threshold | undefined;
  /** `error`: malformed, or nothing in the results to measure it on. */
  readonly status: 'pass' | 'fail' | 'error';
  /** "measured 25.3 ms, bound < 20 ms", per scenario when it covers several. */
  readonly message: string;
}

/** A variant's figure in the threshold's base unit: µs, req/s, a count or a fraction. */
function measure(result: ScenarioResult, metric: ThresholdMetric, errorShare: boolean): number {
  const reps = result.repetitions;
  const median = (pick: (r: (typeof reps)[number]) => number, fallback: number) =>
    reps.length === 0 ? fallback : quantile(reps.map(pick), 0.5);
  switch (metric) {
    case 'throughput':
      return result.estimates.rps.median;
    case 'p50':
      return result.estimates.p50Us.median;
    case 'p99':
      return result.estimates.p99Us.median;
    case 'p90':
      return median((r) => r.latencyUs.p90, result.latencyUs.p90);
    case 'p999':
      return median((r) => r.latencyUs.p999, result.latencyUs.p999);
    case 'errors': {
      const count = result.counts.failed + result.counts.timedOut;
      return errorShare ? (result.counts.sent > 0 ? count / result.counts.sent : 0) : count;
    }
  }
}

function inThresholdUnit(value: number, unit: Unit): number {
  if (unit === 'ms') return value / 1000;
  if (unit === 's') return value / 1_000_000;
  if (unit === 'percent') return value * 100;
  return value;
}

function describe(value: number, unit: Unit): string {
  switch (unit) {
    case 'us':
      return `${formatNumber(value)} µs`;
    case 'ms':
      return `${formatNumber(value)} ms`;
    case 's':
      return `${formatNumber(value)} s`;
    case 'rps':
      return `${formatNumber(value)} req/s`;
    case 'count':
      return formatNumber(value, 6);
    case 'percent':
      return formatPercent(value / 100);
    case 'ratio':
      return `${formatNumber(value)}×`;
  }
}

function holds(measured: number, operator: Operator, bound: number): boolean {
  if (!Number.isFinite(measured)) return false;
  switch (operator) {
    case '<':
      return measured < bound;
    case '<=':
      return measured <= bound;
    case '>':
      return measured > bound;
    case '>=':
      return measured >= bound;
  }
}

function evaluate(results: Results, threshold: Threshold): ThresholdOutcome {
  const base = { expression: threshold.expression, threshold };
  const known = [...new Set(results.scenarios.map((s) => s.scenario))];
  if (threshold.scenario !== undefined && !known.includes(threshold.scenario)) {
    return {
      ...base,
      status: 'error',
      message: `no scenario "${threshold.scenario}" in the results (there are: ${known.join(', ') || 'none'})`,
    };
  }
  const scenarios = threshold.scenario === undefined ? known : [threshold.scenario];
  const find = (scenario: string, variant: string) =>
    results.scenarios.find((s) => s.scenario === scenario && s.variant === variant);
  const wanted = threshold.over === undefined ? [threshold.variant] : [threshold.variant, threshold.over];
  const covered = scenarios.filter((scenario) => wanted.every((v) => find(scenario, v)));
  if (covered.length === 0) {
    const where = threshold.scenario === undefined ? 'any scenario' : `scenario "${threshold.scenario}"`;
    const variants =
      threshold.scenario === undefined
        ? ''
        : ` (it has: ${results.scenarios
            .filter((s) => s.scenario === threshold.scenario)
            .map((s) => s.variant)
            .join(', ')})`;
    return {
      ...base,
      status: 'error',
      message: `${wanted.join(' and ')} did not run in ${where}${variants}`,
    };
  }
  const bound = `${threshold.operator} ${describe(threshold.bound, threshold.unit)}`;
  const checks = covered.map((scenario) => {
    const share = threshold.unit === 'percent';
    const value = measure(find(scenario, threshold.variant)!, threshold.metric, share);
    const measured =
      threshold.over === undefined
        ? inThresholdUnit(value, threshold.unit)
        : value / measure(find(scenario, threshold.over)!, threshold.metric, share);
    return { scenario, measured, ok: holds(measured, threshold.operator, threshold.bound) };
  });
  const failed = checks.filter((c) => !c.ok);
  const text = (c: (typeof checks)[number]) =>
    `${covered.length > 1 ? `${c.scenario}: ` : ''}measured ${describe(c.measured, threshold.unit)}, bound ${bound}`;
  return {
    ...base,
    status: failed.length === 0 ? 'pass' : 'fail',
    message: (failed.length === 0 ? checks : failed).map(text).join('; '),
  };
}

/** Checks every threshold (malformed ones become errors) against the results. */
export function checkThresholds(results: Results, expressions: readonly string[]): ThresholdOutcome[] {
  return expressions.map((expression) => {
    const parsed = parseThreshold(expression);
    if (Array.isArray(parsed)) {
      return {
        expression,
        threshold: undefined,
        status: 'error',
        message: `malformed: ${parsed.join('; ')}`,
      };
    }
    return evaluate(results, parsed);
  });
}

/** 3 when any threshold failed or could not be checked, else 0. */
export function thresholdsExitCode(outcomes: readonly ThresholdOutcome[]): number {
  return outcomes.some((o) => o.status !== 'pass') ? thresholdsBreachedExitCode : 0;
}

/** One JUnit testcase per threshold, so that CI shows each one; no timestamps (deterministic). */
export function renderJunit(outcomes: readonly ThresholdOutcome[], suiteName: string): string {
  const failures = outcomes.filter((o) => o.status === 'fail').length;
  const errors = outcomes.filter((o) => o.status === 'error').length;
  const x = escapeXml;
  const cases = outcomes.map((o) => {
    const classname = `thresholds.${o.threshold?.scenario ?? 'all-scenarios'}`;
    const open = `    <testcase classname="${x(classname)}" name="${x(o.expression)}"`;
    if (o.status === 'pass') {
      return `${open}>\n      <system-out>${x(o.message)}</system-out>\n    </testcase>`;
    }
    const tag = o.status === 'fail' ? 'failure' : 'error';
    const type = o.status === 'fail' ? 'threshold breached' : 'threshold not checkable';
    return `${open}>\n      <${tag} message="${x(o.message)}" type="${type}">${x(`${o.expression}: ${o.message}`)}</${tag}>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="grpc-rest-bench thresholds" tests="${outcomes.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${x(`thresholds: ${suiteName}`)}" tests="${outcomes.length}" failures="${failures}" errors="${errors}" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
