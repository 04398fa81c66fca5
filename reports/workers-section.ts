import type { Results } from '../bench/results/results-types.js';
import { escapeMarkdown, formatCount, formatLatency, formatNumber } from './format.js';

/**
 * Merged results (`grpc-rest-bench merge`): each driver's own figures beside the merged
 * ones, so that a worker that fell behind or failed shows. Empty for a single run.
 */
export function workersMarkdown(results: Results): string {
  const workers = results.workers;
  if (!workers || workers.length === 0) return '';
  const lines = [
    '## Workers',
    '',
    `Merged from ${workers.length} drivers that loaded the same servers: counts and throughputs are their sums, latencies come from their merged histograms.`,
    '',
    '| worker | started | finished | ended |',
    '| --- | --- | --- | --- |',
    ...workers.map(
      (w, i) => `| ${i} ${escapeMarkdown(w.source)} | ${w.startedAt} | ${w.finishedAt} | ${w.endReason} |`,
    ),
    '',
    '| scenario | variant | worker | ok | failed + timed out | req/s by repetition | p50 | p99 |',
    '| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |',
  ];
  for (const scenario of results.scenarios)
    workers.forEach((worker, i) => {
      const own = worker.scenarios.find(
        (s) => s.scenario === scenario.scenario && s.variant === scenario.variant,
      );
      if (!own) return;
      lines.push(
        `| ${escapeMarkdown(scenario.scenario)} | ${scenario.variant} | ${i} | ${formatCount(own.counts.ok)} | ${formatCount(own.counts.failed + own.counts.timedOut)} | ${own.rpsByRepetition.map((r) => formatNumber(r)).join(', ')} | ${formatLatency(own.latencyUs.p50)} | ${formatLatency(own.latencyUs.p99)} |`,
      );
    });
  return `${lines.join('\n')}\n`;
}
