import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeResults } from '../../bench/results/write-results.js';
import { InvalidResultsError, regenerateReports, writeReports } from '../../reports/write-reports.js';
import { makeResults } from './fixtures/make-results.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'grpc-rest-bench-write-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('writing every report', () => {
  it('writes the HTML, Markdown, PNG charts, benchmark-action files and junit.xml, and lists them', () => {
    const dir = tempDir();
    const results = makeResults();
    const files = writeReports(dir, results).map((f) => f.slice(dir.length + 1));
    expect(files.slice(0, 2)).toEqual(['report.html', 'report.md']);
    expect(files.filter((f) => f.startsWith('charts/'))).toHaveLength(10);
    expect(files.slice(-3)).toEqual([
      'benchmark-action-smaller-is-better.json',
      'benchmark-action-bigger-is-better.json',
      'junit.xml',
    ]);
    expect(readdirSync(dir).sort()).toEqual(
      [
        'benchmark-action-bigger-is-better.json',
        'benchmark-action-smaller-is-better.json',
        'charts',
        'junit.xml',
        'report.html',
        'report.md',
      ].sort(),
    );
  });

  it('writes junit.xml only when the suite has thresholds', () => {
    const dir = tempDir();
    const files = writeReports(dir, makeResults({ thresholds: [] }));
    expect(files.some((f) => f.endsWith('junit.xml'))).toBe(false);
  });

  it('regenerates from results.json, and refuses an invalid one listing every problem', () => {
    const dir = tempDir();
    writeResults(dir, makeResults({ endReason: 'interrupted' }));
    expect(regenerateReports(dir).map((f) => f.slice(dir.length + 1))).toContain('report.html');

    const broken = tempDir();
    const results = makeResults();
    const bad = {
      ...results,
      endReason: 'exploded',
      scenarios: results.scenarios.map((s, i) =>
        i === 0 ? { ...s, counts: { ...s.counts, ok: s.counts.ok + 1 } } : s,
      ),
    };
    writeFileSync(join(broken, 'results.json'), JSON.stringify(bad));
    expect(() => regenerateReports(broken)).toThrow(InvalidResultsError);
    try {
      regenerateReports(broken);
    } catch (error) {
      expect((error as InvalidResultsError).message).toMatch(
        /results\.json is not a valid results document:\n {2}- /,
      );
      expect((error as InvalidResultsError).problems.join('\n')).toMatch(/endReason/);
    }
    writeFileSync(join(broken, 'results.json'), '{ not json');
    expect(() => regenerateReports(broken)).toThrow(/cannot read it as JSON/);
  });

  it('shows a partial run prominently', () => {
    const dir = tempDir();
    const results = makeResults({ endReason: 'interrupted' });
    const partial = {
      ...results,
      scenarios: results.scenarios.map((s, i) =>
        i === 3 ? { ...s, repetitions: s.repetitions.slice(0, 1) } : s,
      ),
    };
    writeReports(dir, partial);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/class="banner error"[^>]*><a href="#warnings">⚠ \d+ warnings, 2 serious<\/a>/);
    expect(html).toContain('The run did not complete (end reason: interrupted): the results are partial.');
    expect(html).toContain('Partial: 1 of 3 repetitions.');
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/^# grpc-rest-bench: fixture\n\n> \[!CAUTION\]/);
  });

  it('regenerates reports from a checkpoint (endReason running) and says it is partial', () => {
    const dir = tempDir();
    const results = makeResults({ endReason: 'running' });
    writeResults(dir, { ...results, scenarios: results.scenarios.slice(0, 2) });
    expect(regenerateReports(dir).map((f) => f.slice(dir.length + 1))).toContain('report.md');
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('A checkpoint of a run that never finished');
    expect(md).toContain('the results are partial');
  });

  it('still writes every report for a run that stopped before a repetition finished, or before any scenario', () => {
    const results = makeResults({ endReason: 'interrupted' });
    const unfinished = {
      ...results,
      scenarios: results.scenarios.map((s, i) => (i === 3 ? { ...s, repetitions: [] } : s)),
    };
    const dir = tempDir();
    expect(writeReports(dir, unfinished).length).toBeGreaterThan(10);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('Partial: 0 of 3 repetitions.');
    const empty = tempDir();
    const files = writeReports(empty, { ...results, scenarios: [], comparisons: [] }).map((f) =>
      f.slice(empty.length + 1),
    );
    expect(files).toContain('report.html');
    expect(readFileSync(join(empty, 'report.md'), 'utf8')).toContain('none (no scenario ran)');
  });
});
