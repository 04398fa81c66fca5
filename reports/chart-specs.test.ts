import { describe, expect, it } from 'vitest';
import { makeResults } from '../test/reports/fixtures/make-results.js';
import { chartRuntime } from './chart-runtime.js';
import { chartSpecs } from './chart-specs.js';
import { buildReportModel } from './report-model.js';

describe('chart specs and the chart runtime', () => {
  const specs = chartSpecs(buildReportModel(makeResults()));

  it('are plain JSON data, unique by id', () => {
    expect(JSON.parse(JSON.stringify(specs))).toEqual(specs);
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
    for (const spec of specs) expect(spec.id).toMatch(/^[a-z0-9-]+$/);
  });

  it('label the percentile axis as HDR plots do', () => {
    const { percentLabel } = chartRuntime();
    expect([1, 2, 10, 100, 1000, 10_000, 100_000].map(percentLabel)).toEqual([
      '0%',
      '50%',
      '90%',
      '99%',
      '99.9%',
      '99.99%',
      '99.999%',
    ]);
    const spectrum = specs.find((s) => s.id === 'classify-open-800-latency-spectrum')!;
    expect(spectrum.xTicks).toEqual([1, 2, 10, 100, 1000, 10_000]);
    // Open loop: corrected and uncorrected lines for each variant.
    expect(spectrum.datasets.map((d) => d.label)).toEqual([
      'grpc',
      'grpc (uncorrected)',
      'rest-json-h1',
      'rest-json-h1 (uncorrected)',
    ]);
  });

  it('build a Chart.js configuration with animation off and a fixed pixel ratio', () => {
    const config = chartRuntime().buildConfig(specs[0]!, {
      devicePixelRatio: 2,
      fontFamily: 'sans-serif',
      interactive: false,
    });
    expect(config.type).toBe('bar');
    expect(config.options?.animation).toBe(false);
    expect(config.options?.devicePixelRatio).toBe(2);
    expect(config.options?.responsive).toBe(false);
  });

  it('mark fault windows on the time-series charts, in seconds of the measured window', () => {
    const results = makeResults();
    const withFaults = {
      ...results,
      scenarios: results.scenarios.map((scenario) => ({
        ...scenario,
        warmupMs: 1000,
        repetitions: scenario.repetitions.map((repetition) => ({
          ...repetition,
          faults: {
            windows: [
              {
                type: 'down' as const,
                direction: 'downstream' as const,
                startMs: 2000,
                endMs: 3500,
                params: {},
              },
            ],
            problems: [],
            failuresByCause: { 'UNAVAILABLE/connection-refused': 10 },
          },
        })),
      })),
    };
    const charts = chartSpecs(buildReportModel(withFaults)).filter((spec) => spec.id.endsWith('-over-time'));
    expect(charts.length).toBeGreaterThan(0);
    for (const chart of charts) {
      const mark = chart.datasets.find((d) => d.label.startsWith('fault:'))!;
      expect(mark.label).toBe('fault: down 1–2.5 s');
      expect((mark.data as readonly { x: number }[]).map((p) => p.x)).toEqual([1, 1, 2.5, 2.5]);
      expect(chart.howToRead).toContain('fault');
    }
    expect(specs.every((spec) => spec.datasets.every((d) => !d.label.startsWith('fault:')))).toBe(true);
  });
});
