import { describe, expect, it } from 'vitest';
import { attributionRows, effects, hasAttribution } from '../../reports/attribution.js';
import { renderMarkdown } from '../../reports/render-markdown.js';
import { buildReportModel } from '../../reports/report-model.js';
import { makeResults } from './fixtures/make-results.js';

const six = ['grpc', 'grpc-connect', 'rest-json-h1', 'rest-json-h2', 'rest-proto-h1', 'rest-binary-h1'];
const browserReachable = ['connect-json-h1', 'connect-proto-h1', 'grpc-web-h1'];

describe('attribution table', () => {
  it('divides each pair of variants that differ in one thing, with the verdict of the intervals', () => {
    const model = buildReportModel(makeResults({ variants: [...six, ...browserReachable] }));
    const view = model.scenarios.find((v) => v.name === 'classify')!;
    const rows = attributionRows(view);
    expect(rows.map((r) => r.effect)).toEqual(effects.map((e) => e.effect));
    for (const row of rows) expect(row.cells).toHaveLength(5);
    const byVariant = new Map(view.rows.map((r) => [r.variant, r]));
    const transport = rows.find((r) => r.effect === 'transport')!;
    const ratio =
      byVariant.get('rest-json-h2')!.figures.rps.median / byVariant.get('rest-json-h1')!.figures.rps.median;
    expect(transport.cells![0]!.text.startsWith(`${ratio.toPrecision(3)}×`)).toBe(true);
    // Classify has no audio: the raw-audio pair is the run's A/A control, and says so.
    expect(rows.find((r) => r.effect === 'raw audio')!.note).toMatch(/A\/A control/);
    const bridge = rows.find((r) => r.effect === 'browser bridge')!;
    expect([bridge.a, bridge.b]).toEqual(['grpc-web-h1', 'grpc-connect']);
  });

  it('marks a pair that did not run as not measured, and shows no table with no pair at all', () => {
    const model = buildReportModel(makeResults({ variants: ['grpc', 'rest-json-h1', 'rest-json-h2'] }));
    const view = model.scenarios.find((v) => v.name === 'classify')!;
    const implementation = attributionRows(view).find((r) => r.effect === 'implementation')!;
    expect(implementation.cells).toBeUndefined();
    expect(implementation.note).toBe('not measured here: grpc-connect did not run');
    expect(hasAttribution(view)).toBe(true);
    const plain = buildReportModel(makeResults({ variants: ['grpc', 'rest-json-h1'] }));
    expect(hasAttribution(plain.scenarios[0]!)).toBe(false);
    expect(renderMarkdown(makeResults({ variants: ['grpc', 'rest-json-h1'] }))).not.toMatch(
      /Where the difference/,
    );
    expect(renderMarkdown(makeResults({ variants: six }))).toMatch(/### Where the difference comes from/);
  });
});
