import { describe, expect, it } from 'vitest';
import type { Results } from '../../bench/results/results-types.js';
import { byteRows, hasByteRows } from '../../reports/byte-table.js';
import { renderMarkdown } from '../../reports/render-markdown.js';
import { buildReportModel, requestsOnWire } from '../../reports/report-model.js';
import { makeResults } from './fixtures/make-results.js';

/** The fixture with grpc's bytes split as a driver would: 103 body + 23 framing + 7 headers per call. */
function withBreakdown(): Results {
  const results = makeResults();
  return {
    ...results,
    scenarios: results.scenarios.map((scenario) =>
      scenario.variant !== 'grpc'
        ? scenario
        : {
            ...scenario,
            repetitions: scenario.repetitions.map((r) => {
              const calls = requestsOnWire(r.counts);
              const parts = { body: 103 * calls, framing: 23 * calls, headers: 7 * calls, control: 0 };
              return { ...r, bytes: { ...r.bytes, breakdown: { written: parts, read: parts } } };
            }),
          },
    ),
  };
}

describe('bytes per call by part', () => {
  it('divides each part by the requests that went on the wire, and totals them', () => {
    const view = buildReportModel(withBreakdown()).scenarios.find((v) => v.name === 'classify')!;
    expect(hasByteRows(view)).toBe(true);
    const rows = byteRows(view);
    expect(rows.find((r) => r.variant === 'grpc')!.request).toEqual(['103', '23', '7', '0', '133']);
    // A driver that could not split its bytes shows none, rather than zeros.
    expect(rows.find((r) => r.variant === 'rest-json-h1')!.request).toBeUndefined();
    expect(renderMarkdown(withBreakdown())).toMatch(/### Bytes per call, by part/);
    expect(renderMarkdown(makeResults())).not.toMatch(/### Bytes per call, by part/);
  });
});
