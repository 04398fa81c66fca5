import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exit-codes.js';
import { formatNumber } from '../../reports/format.js';
import {
  checkThresholds,
  parseThreshold,
  parseThresholds,
  parseThresholdsStrict,
  renderJunit,
  ThresholdSyntaxError,
  thresholdsBreachedExitCode,
  thresholdsExitCode,
} from '../../reports/thresholds.js';
import { makeResults } from './fixtures/make-results.js';
import { xmlProblems } from './support/xml-well-formed.js';

const results = makeResults();

describe('threshold grammar', () => {
  it('parses scenario.variant.metric op value+unit, ratios and the every-scenario form', () => {
    expect(parseThreshold('classify.grpc.p99 < 20ms')).toEqual({
      expression: 'classify.grpc.p99 < 20ms',
      scenario: 'classify',
      variant: 'grpc',
      over: undefined,
      metric: 'p99',
      operator: '<',
      bound: 20,
      unit: 'ms',
    });
    expect(parseThreshold('classify.rest-json-h1.throughput>5000')).toMatchObject({
      variant: 'rest-json-h1',
      metric: 'throughput',
      operator: '>',
      bound: 5000,
      unit: 'rps',
    });
    expect(parseThreshold('classify.grpc_over_rest.throughput > 1.0')).toMatchObject({
      variant: 'grpc',
      over: 'rest-json-h1',
      unit: 'ratio',
      bound: 1,
    });
    expect(parseThreshold('grpc.errors <= 0.5%')).toMatchObject({
      scenario: undefined,
      unit: 'percent',
      bound: 0.5,
    });
    expect(parseThreshold('*.grpc.p999 < 250 µs')).toMatchObject({ scenario: undefined, unit: 'us' });
  });

  it('reports every malformed expression at once, each with its position', () => {
    const expressions = [
      'classify.grpc.p99 < 20ms',
      'classify.grpc.p99 < 20',
      'classify.grpc.p42 < 1ms',
      'classify.grpc.p99 == 3ms',
      'nonsense',
      'classify.grpc_over_rest.errors < 1',
      'classify.grpc.throughput > 5 ms',
      'Classify.grpc.p99 < -1ms',
      'a.b.c.d.p99 < 1ms',
    ];
    const { thresholds, problems } = parseThresholds(expressions);
    expect(thresholds.map((t) => t.expression)).toEqual(['classify.grpc.p99 < 20ms']);
    const positions = new Set(problems.map((p) => /^threshold (\d+)/.exec(p)?.[1]));
    expect([...positions]).toEqual(['2', '3', '4', '5', '6', '7', '8', '9']);
    expect(problems.join('\n')).toMatch(/p99 needs a unit: us, ms or s/);
    expect(problems.join('\n')).toMatch(/unknown metric "p42"/);
    expect(problems.join('\n')).toMatch(/operator "==" is not allowed/);
    expect(problems.join('\n')).toMatch(/errors has no ratio form/);
    expect(problems.join('\n')).toMatch(/throughput takes no unit, req\/s or rps, not "ms"/);
    expect(() => parseThresholdsStrict(expressions)).toThrow(ThresholdSyntaxError);
    try {
      parseThresholdsStrict(expressions);
    } catch (error) {
      expect((error as ThresholdSyntaxError).problems).toEqual(problems);
    }
  });
});

describe('checking thresholds against results', () => {
  it('passes the thresholds that hold and fails the breached ones with measured vs bound', () => {
    const outcomes = checkThresholds(results, [
      'classify.grpc.p99 < 20ms',
      'classify.grpc.p99 < 1ms',
      'classify.rest-json-h1.throughput > 1000',
      'classify.rest-json-h1.throughput > 5000',
      'classify.grpc_over_rest.throughput > 1.0',
      'classify.grpc_over_rest.throughput > 2',
      'classify-open-800.rest-json-h1.errors < 0.1%',
      'grpc.errors < 1',
      'classify.grpc.p50 <= 10000us',
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'pass',
      'fail',
      'pass',
      'fail',
      'pass',
      'fail',
      'fail',
      'pass',
      'pass',
    ]);
    const p99 = results.scenarios[0]!.estimates.p99Us.median / 1000;
    expect(outcomes[1]!.message).toBe(`measured ${formatNumber(p99)} ms, bound < 1 ms`);
    expect(outcomes[3]!.message).toMatch(/^measured 3,\d{3} req\/s, bound > 5,000 req\/s$/);
    expect(outcomes[5]!.message).toMatch(/^measured 1\.\d+×, bound > 2×$/);
    expect(outcomes[6]!.message).toMatch(/^measured 0\.\d+%, bound < 0\.1%$/);
    expect(outcomes[7]!.message).toMatch(
      /^classify: measured 0, bound < 1; classify-open-800: measured 0, bound < 1$/,
    );
    expect(thresholdsExitCode(outcomes)).toBe(ExitCode.thresholdsBreached);
    expect(thresholdsBreachedExitCode).toBe(ExitCode.thresholdsBreached);
    expect(thresholdsExitCode(outcomes.filter((o) => o.status === 'pass'))).toBe(0);
  });

  it('cannot check a threshold on a scenario or variant that did not run, and says so', () => {
    const outcomes = checkThresholds(results, [
      'transcribe.grpc.p99 < 1s',
      'classify.grpc-connect.p99 < 1s',
      'rest-proto-h1.errors < 1',
      'classify.grpc.p99 < 1',
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['error', 'error', 'error', 'error']);
    expect(outcomes[0]!.message).toBe(
      'no scenario "transcribe" in the results (there are: classify, classify-open-800)',
    );
    expect(outcomes[1]!.message).toBe(
      'grpc-connect did not run in scenario "classify" (it has: grpc, rest-json-h1)',
    );
    expect(outcomes[3]!.message).toMatch(/^malformed: /);
    expect(thresholdsExitCode(outcomes)).toBe(3);
  });

  it('writes well-formed JUnit XML with one testcase per threshold', () => {
    const expressions = [
      'classify.grpc.p99 < 20ms',
      'classify.grpc.p99 < 1ms',
      'nope <> 3',
      'x.grpc.p50 < 1ms',
    ];
    const xml = renderJunit(checkThresholds(results, expressions), 'quick & <dirty>');
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('<testsuites name="grpc-rest-bench thresholds" tests="4" failures="1" errors="2">');
    expect(xml).toContain('name="classify.grpc.p99 &lt; 1ms"');
    expect(xml).toMatch(/<failure message="measured [\d.]+ ms, bound &lt; 1 ms" type="threshold breached">/);
    expect(xml).toContain('name="thresholds: quick &amp; &lt;dirty&gt;"');
    // The checker itself catches what it should.
    expect(xmlProblems('<a><b></a></b>')).not.toEqual([]);
    expect(xmlProblems('<a x="1 & 2"/>')).not.toEqual([]);
  });
});
