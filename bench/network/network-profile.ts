/**
 * The network a scenario runs over: loopback (no proxy), a named profile, or custom
 * settings, applied by the fault proxy's emulated path (emulated-link.ts) to every
 * connection of every variant alike.
 */

export const networkProfileNames = ['loopback', 'lan', 'metro', 'wan', 'mobile'] as const;
export type NetworkProfileName = (typeof networkProfileNames)[number];

/** An emulated path: round trip, its jitter, and the rate each way. */
export interface PathSettings {
  /** Round-trip time in milliseconds, half of it each way. */
  readonly rttMs: number;
  /** The round trip varies by ± this (uniform), ± half of it each way. */
  readonly jitterMs: number;
  /** Server → client, megabits (10^6 bits) a second. */
  readonly downMbps: number;
  /** Client → server, megabits a second. */
  readonly upMbps: number;
  /**
   * TCP's congestion window on the emulated path (congestion-window.ts): slow start from
   * 10 segments, growth per round trip up to the bandwidth-delay product, restart after idle.
   */
  readonly congestionWindow: boolean;
}

/** What a scenario records: the profile's name (`custom` for settings of one's own) and the path. */
export interface NetworkProfile {
  readonly name: NetworkProfileName | 'custom';
  /** Absent for loopback: no proxy, the driver talks to the server directly. */
  readonly path?: PathSettings;
}

const named: Readonly<
  Record<Exclude<NetworkProfileName, 'loopback'>, Omit<PathSettings, 'congestionWindow'>>
> = {
  lan: { rttMs: 0.5, jitterMs: 0, downMbps: 1000, upMbps: 1000 },
  metro: { rttMs: 10, jitterMs: 0, downMbps: 200, upMbps: 200 },
  wan: { rttMs: 50, jitterMs: 0, downMbps: 50, upMbps: 50 },
  mobile: { rttMs: 100, jitterMs: 20, downMbps: 20, upMbps: 5 },
};

export const loopback: NetworkProfile = { name: 'loopback' };

export function namedProfile(name: NetworkProfileName, congestionWindow = true): NetworkProfile {
  if (name === 'loopback') return loopback;
  return { name, path: { ...named[name], congestionWindow } };
}

/** The suite's custom spelling, `{ rtt, jitter, down, up }` (times in ms, rates in Mbit/s), checked. */
export interface CustomPath {
  readonly rttMs: number;
  readonly jitterMs?: number;
  readonly downMbps: number;
  readonly upMbps?: number;
}

export function customProfile(custom: CustomPath, congestionWindow = true): NetworkProfile {
  return {
    name: 'custom',
    path: {
      rttMs: custom.rttMs,
      jitterMs: custom.jitterMs ?? 0,
      downMbps: custom.downMbps,
      upMbps: custom.upMbps ?? custom.downMbps,
      congestionWindow,
    },
  };
}

/** Every problem with custom settings at once (empty when fine). */
export function customPathProblems(where: string, custom: CustomPath): string[] {
  const problems: string[] = [];
  if (!(custom.rttMs > 0)) problems.push(`${where}: rtt must be above 0`);
  if ((custom.jitterMs ?? 0) >= custom.rttMs)
    problems.push(`${where}: jitter (${custom.jitterMs} ms) must be below rtt (${custom.rttMs} ms)`);
  for (const [key, value] of [
    ['down', custom.downMbps],
    ['up', custom.upMbps],
  ] as const) {
    if (value !== undefined && !(value > 0 && value <= 10_000))
      problems.push(`${where}: ${key} must be above 0 and at most 10000 Mbit/s`);
  }
  return problems;
}

/** Bytes a millisecond at `mbps` megabits a second. */
export function bytesPerMs(mbps: number): number {
  return (mbps * 1e6) / 8 / 1000;
}

/** One line for logs and reports: "wan (50 ms RTT, 50/50 Mbit/s, congestion window on)". */
export function describeNetwork(profile: NetworkProfile): string {
  const path = profile.path;
  if (!path) return `${profile.name} (no proxy)`;
  const jitter = path.jitterMs > 0 ? ` ± ${path.jitterMs} ms` : '';
  const rates =
    path.downMbps === path.upMbps ? `${path.downMbps}` : `${path.downMbps} down/${path.upMbps} up`;
  return `${profile.name} (${path.rttMs}${jitter} ms RTT, ${rates} Mbit/s, congestion window ${path.congestionWindow ? 'on' : 'off'})`;
}
