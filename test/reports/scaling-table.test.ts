import { describe, expect, it } from 'vitest';
import type { Results, ScenarioResult } from '../../bench/results/results-types.js';
import { resultsProblems } from '../../bench/results/validate-results.js';
import { renderHtml } from '../../reports/render-html.js';
import { renderMarkdown } from '../../reports/render-markdown.js';
import { scalingSeries } from '../../reports/scaling-table.js';
import { makeResults } from './fixtures/make-results.js';

/** The fixture's classify scenario run again as a scaling series: `rps` per worker count. */
function scaling(
  rpsByWorkers: Record<number, number>,
  environment: { cores: number; pinned?: boolean },
): Results {
  const results = makeResults();
  const base = results.scenarios.find((s) => s.scenario === 'classify' && s.variant === 'grpc')!;
  const series: ScenarioResult[] = Object.entries(rpsByWorkers).map(([workers, rps]) => ({
    ...base,
    scenario: `cpu-w${workers}`,
    workers: Number(workers),
    scalingOf: 'cpu',
    estimates: { ...base.estimates, rps: { ...base.estimates.rps, median: rps } },
  }));
  return {
    ...results,
    environment: { ...results.environment, cores: environment.cores },
    suite: { ...results.suite, pinned: environment.pinned ?? false },
    scenarios: [...results.scenarios, ...series],
  };
}

describe('the scaling table', () => {
  it('gives speed-up and efficiency against one worker, per variant', () => {
    const results = scaling({ 1: 100, 2: 180, 4: 300 }, { cores: 8 });
    expect(resultsProblems(results)).toEqual([]);
    const [series] = scalingSeries(results);
    expect(series!.name).toBe('cpu');
    expect(series!.rows.map((row) => [row.variant, ...row.cells.slice(0, 4)])).toEqual([
      ['grpc', '1', '100', '1.00×', '100%'],
      ['grpc', '2', '180', '1.80×', '90%'],
      ['grpc', '4', '300', '3.00×', '75%'],
    ]);
    expect(series!.notes.join(' ')).not.toMatch(/shares the cores|CPU 0/);
  });

  it('says when the driver shares the cores, or the run was pinned, rather than claim scaling', () => {
    expect(scalingSeries(scaling({ 1: 100, 2: 120 }, { cores: 2 }))[0]!.notes[0]).toMatch(
      /^The driver shares the cores: 2 workers on a 2-core machine/,
    );
    expect(scalingSeries(scaling({ 1: 100, 2: 100 }, { cores: 8, pinned: true }))[0]!.notes[0]).toMatch(
      /ran on CPU 0/,
    );
  });

  it('appears in both reports only when a suite had a workers list', () => {
    const results = scaling({ 1: 100, 2: 180 }, { cores: 2 });
    expect(renderMarkdown(results)).toMatch(
      /## Scaling with server workers[\s\S]*\| grpc \| 2 \| 180 \| 1\.80× \| 90% \|/,
    );
    expect(renderHtml(results)).toContain('<h2 id="scaling-title">Scaling with server workers</h2>');
    expect(renderMarkdown(makeResults())).not.toContain('Scaling with server workers');
    expect(renderHtml(makeResults())).not.toContain('id="scaling"');
  });
});
