/**
 * The small sweep `advise` runs when it is given no results: one 3 s and one 30 s recording
 * (the corpus's audio sizes around most questions) over the question's own path, both tunings,
 * the headline variants, one call at a time on one connection, sized to finish within two minutes.
 */
import { parseSuite, type Suite } from './suite.js';

export const adviseVariants = [
  'grpc',
  'grpc-connect',
  'rest-json-h1',
  'rest-proto-h1',
  'rest-binary-h1',
] as const;

const payloads = [
  { name: 'advise-3s', payload: 'short3s', bytes: 96_000 },
  { name: 'advise-30s', payload: 'long30s', bytes: 960_000 },
] as const;

const repetitions = 3;
const warmupS = 0.3;
/** What the whole sweep may take, measured windows and warm-ups, leaving room for start-up and the path check. */
export const adviseBudgetS = 75;

export interface AdvisePath {
  readonly rttMs: number;
  readonly bandwidthMbps: number;
}

/** A window long enough for a few calls of `bytes` on the path: transfer time plus a dozen round trips (a 64 KiB window's worst). */
function windowSeconds(bytes: number, path: AdvisePath): number {
  const callS = (bytes * 8) / (path.bandwidthMbps * 1e6) + (12 * path.rttMs) / 1000;
  return Math.min(6, Math.max(1, 2.5 * callS));
}

/** The sweep's suite and how long its windows add up to (seconds). */
export function adviseSweep(path: AdvisePath): { suite: Suite; plannedS: number } {
  const runs = 2 * adviseVariants.length * repetitions;
  const wanted = payloads.map((p) => windowSeconds(p.bytes, path));
  const warmups = runs * warmupS * payloads.length;
  const scale = Math.min(1, (adviseBudgetS - warmups) / (runs * wanted.reduce((sum, s) => sum + s, 0)));
  const windows = wanted.map((s) => Math.max(0.5, s * scale));
  const plannedS = warmups + runs * windows.reduce((sum, s) => sum + s, 0);
  const document = {
    name: 'advise',
    description: `advise's sweep: a 3 s and a 30 s recording over ${path.rttMs} ms and ${path.bandwidthMbps} Mbit/s, default and tuned, one call at a time.`,
    stt: 'reference',
    realTimeFactor: 0,
    network: { rtt: `${path.rttMs}ms`, down: path.bandwidthMbps, up: path.bandwidthMbps },
    tuning: 'both',
    defaults: {
      warmup: `${warmupS}s`,
      repetitions,
      connections: 1,
      concurrency: 1,
      timeout: '20s',
    },
    scenarios: payloads.map((p, i) => ({
      name: p.name,
      rpc: 'transcribe',
      payload: p.payload,
      variants: [...adviseVariants],
      duration: `${windows[i]!.toFixed(2)}s`,
    })),
  };
  return { suite: parseSuite(document, 'advise sweep'), plannedS };
}
