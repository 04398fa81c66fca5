/**
 * One repetition of a browser-family scenario: the page's closed loop in headless Chromium
 * against one server, as a repetition of the same schema as the drivers' (no bytes: the
 * page cannot see its sockets), with the browser's timer and CPU beside it.
 */
import { formatHostPort } from '../../servers/host-port.js';
import type { BrowserSession } from '../browser/browser-session.js';
import { pageCallOf } from '../browser/page-call.js';
import type { RequestPayload } from '../drivers/request-payloads.js';
import type { Repetition } from '../results/results-types.js';
import type { Scenario, Variant } from '../scenarios/suite.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import type { RunServer } from './run-server.js';

/** Near a whole core: the browser, not the server, may be what the figures measure. */
const limitedAt = 0.85;

export interface BrowserRepetition {
  readonly repetition: Repetition;
  /** A problem with the page's sample answer, if it was wrong. */
  readonly problem: string | undefined;
}

export async function browserRepetition(
  session: BrowserSession,
  context: {
    readonly scenario: Scenario;
    readonly variant: Variant;
    readonly payload: RequestPayload;
    readonly server: RunServer;
    readonly index: number;
    readonly orderPosition: number;
    readonly signal: AbortSignal;
  },
): Promise<BrowserRepetition> {
  const { scenario, variant, payload, server } = context;
  const call = pageCallOf(variant, payload, {
    baseUrl: `http://${formatHostPort(server.host, server.port)}`,
    timeoutMs: scenario.timeoutMs,
  });
  const before = server.sample();
  const { result, load } = await session.run(
    {
      ...call,
      concurrency: scenario.concurrency,
      warmupMs: scenario.warmupMs,
      durationMs: scenario.durationMs,
    },
    context.signal,
  );
  const after = server.sample();
  const latency = LatencyHistogram.decode(result.histogram);
  const answered = result.counts.ok + result.counts.failed;
  const answeredInSample =
    answered * ((scenario.warmupMs + result.durationMs) / Math.max(1, result.durationMs));
  const limited = load.pageMainThreadBusy > limitedAt || load.rendererCpu > limitedAt;
  const problem =
    result.counts.ok === 0
      ? undefined
      : result.sampleAnswerJson === undefined
        ? 'no answer to check'
        : payload.checkJson(result.sampleAnswerJson);
  return {
    problem,
    repetition: {
      index: context.index,
      orderPosition: context.orderPosition,
      counts: result.counts,
      rps: (answered / result.durationMs) * 1000,
      durationMs: result.durationMs,
      latencyUs: latency.percentiles(),
      histogram: result.histogram,
      timeline: result.timeline,
      bytes: { written: 0, read: 0 },
      resources: {
        serverCpuUsPerRequest:
          before && after && answeredInSample > 0 ? (after.cpuUs - before.cpuUs) / answeredInSample : 0,
        serverPeakRssBytes: after?.peakRssBytes ?? 0,
        driverCpu: load.browserCpu,
        driverEventLoopP99Ms: 0,
        driverSaturated: limited,
      },
      browser: {
        version: session.version,
        userAgent: result.userAgent,
        timerResolutionUs: result.timerResolutionUs,
        crossOriginIsolated: result.crossOriginIsolated,
        pageMainThreadBusy: load.pageMainThreadBusy,
        rendererCpu: load.rendererCpu,
        browserCpu: load.browserCpu,
        limited,
      },
    },
  };
}
