import { textTable } from '../text-table.js';
import type { MemoryGrowth, SoakResults, SoakServer } from './soak-types.js';

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const percent = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);
const seconds = (valueMs: number) => `${(valueMs / 1000).toFixed(valueMs < 10_000 ? 1 : 0)}s`;
/** At most this many rows in the over-time table: enough to see a trend. */
const timelineRows = 20;

/** What a terminal shows after a soak: memory growth, event loops, streams, and memory over time. */
export function formatSoak(results: SoakResults): string {
  const { settings } = results;
  const lines = [
    `soak: ${results.endReason} · ${seconds(settings.durationMs)} (warm-up ${seconds(settings.warmupMs)}) · engine ${settings.stt} · sample every ${seconds(settings.sampleIntervalMs)}`,
    '',
    textTable([
      [
        'server',
        'in use after warm-up',
        'at end',
        'growth',
        'RSS after warm-up',
        'at end',
        'growth',
        'heap after warm-up',
        'at end',
        'sampled RSS growth',
        'peak RSS',
        'loop p99 ms (worst)',
        'loop max ms',
      ],
      ...results.servers.map((s) => [
        s.server,
        ...growthCells(s.inUseGrowth),
        ...growthCells(s.rssGrowth),
        s.heapUsedGrowth ? mb(s.heapUsedGrowth.afterWarmupBytes) : '-',
        s.heapUsedGrowth ? mb(s.heapUsedGrowth.endBytes) : '-',
        s.sampledRssGrowth ? percent(s.sampledRssGrowth.percent) : '-',
        mb(s.peakRssBytes),
        ms(s.eventLoopDelayMs.p99Max),
        ms(s.eventLoopDelayMs.max),
      ]),
    ]),
    '',
    textTable([
      [
        'stream',
        'rate',
        'req/s',
        'sent',
        'ok',
        'failed',
        'timed out',
        'not sent',
        'cancelled',
        'p50 ms',
        'p99 ms',
      ],
      ...results.streams.map((s) => [
        `${s.variant} ${s.rpc}`,
        String(s.ratePerSecond),
        s.rps.toFixed(1),
        String(s.counts.sent),
        String(s.counts.ok),
        String(s.counts.failed),
        String(s.counts.timedOut),
        String(s.counts.notSent),
        String(s.counts.cancelled),
        ms(s.latencyUs.p50 / 1000),
        ms(s.latencyUs.p99 / 1000),
      ]),
    ]),
    '',
    'over time:',
    textTable([
      [
        't',
        'grpc RSS',
        'grpc V8 heap committed',
        'grpc loop p99 ms',
        'rest RSS',
        'rest V8 heap committed',
        'rest loop p99 ms',
      ],
      ...thin(results.samples, timelineRows).map((sample) => {
        const cells = (server: SoakServer) => {
          const s = sample.servers[server];
          return s ? [mb(s.rssBytes), mb(s.heapTotalBytes), ms(s.eventLoopDelayMs.p99)] : ['-', '-', '-'];
        };
        return [seconds(sample.atMs), ...cells('grpc'), ...cells('rest')];
      }),
    ]),
    '',
    "in use = RSS less the part of V8's heap that holds nothing, both right after a full collection (RSS: the same moments, V8's free heap included)",
    '',
    results.passed
      ? `passed: memory in use grew less than ${settings.maxRssGrowthPercent}% after warm-up on both servers`
      : `FAILED: ${failure(results)}`,
  ];
  return `${lines.join('\n')}\n`;
}

function growthCells(growth: MemoryGrowth | undefined): string[] {
  return growth
    ? [mb(growth.afterWarmupBytes), mb(growth.endBytes), percent(growth.percent)]
    : ['-', '-', '-'];
}

function failure(results: SoakResults): string {
  if (results.endReason !== 'completed') return `the soak ${results.endReason}`;
  const grew = results.servers.filter(
    (s) => !s.inUseGrowth || s.inUseGrowth.percent >= results.settings.maxRssGrowthPercent,
  );
  return grew
    .map((s) =>
      s.inUseGrowth
        ? `${s.server} memory in use grew ${s.inUseGrowth.percent.toFixed(1)}% after warm-up (limit ${results.settings.maxRssGrowthPercent}%)`
        : `${s.server}: no memory reading after a collection at the end of the warm-up and of the load`,
    )
    .join('; ');
}

/** Every k-th item, the last always included. */
function thin<T>(items: readonly T[], most: number): T[] {
  if (items.length <= most) return [...items];
  const step = Math.ceil(items.length / most);
  return items.filter((_, i) => i % step === 0 || i === items.length - 1);
}
