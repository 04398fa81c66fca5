/**
 * A run's networks: the proxy's own round trip measured once, each emulated path the
 * run uses checked once before its scenarios (path-self-check.ts), and a proxy with the
 * path put in front of a server for each repetition.
 */
import { FaultProxy } from '../faults/fault-proxy.js';
import { describeNetwork, type NetworkProfile, type PathSettings } from './network-profile.js';
import { checkPath, measureProxyRtt, type PathCheck } from './path-self-check.js';

/** What results.json records of a scenario's network. */
export interface NetworkRecord {
  readonly name: NetworkProfile['name'];
  /** Absent for loopback. */
  readonly path?: PathSettings;
  /** The round trip the proxy itself adds (ms), taken off the path's delay. */
  readonly proxyRttMs?: number;
  /** This run's check of the path before it was used. */
  readonly selfCheck?: PathCheck;
}

export class RunNetworks {
  private proxyRttMs: number | undefined;
  private readonly checks = new Map<string, PathCheck>();

  /** Checks each path of `profiles` not yet checked; returns a warning for each that missed its profile. */
  async check(profiles: readonly NetworkProfile[]): Promise<string[]> {
    const warnings: string[] = [];
    for (const profile of profiles) {
      if (!profile.path || this.checks.has(keyOf(profile.path))) continue;
      this.proxyRttMs ??= await measureProxyRtt();
      const check = await checkPath(profile.path, { proxyRttMs: this.proxyRttMs });
      this.checks.set(keyOf(profile.path), check);
      if (!check.passed)
        warnings.push(
          `network ${describeNetwork(profile)} missed its profile: ${check.problems.join('; ')} (this process's event-loop p99 ${check.eventLoopP99Ms} ms during the check)`,
        );
    }
    return warnings;
  }

  record(profile: NetworkProfile): NetworkRecord {
    if (!profile.path) return { name: profile.name };
    const selfCheck = this.checks.get(keyOf(profile.path));
    return {
      name: profile.name,
      path: profile.path,
      ...(this.proxyRttMs === undefined ? {} : { proxyRttMs: this.proxyRttMs }),
      ...(selfCheck ? { selfCheck } : {}),
    };
  }

  /** A proxy with the path in front of host:port, or undefined for loopback (connect directly). */
  async proxyFor(profile: NetworkProfile, host: string, port: number): Promise<FaultProxy | undefined> {
    if (!profile.path) return undefined;
    return FaultProxy.start({ upstreamHost: host, upstreamPort: port, ...this.proxyOptions(profile) });
  }

  /** The path and the proxy's own round trip, for a proxy of the run's (a FaultedRun's too). */
  proxyOptions(profile: NetworkProfile): { network?: PathSettings; proxyRttMs?: number } {
    if (!profile.path) return {};
    return {
      network: profile.path,
      ...(this.proxyRttMs === undefined ? {} : { proxyRttMs: this.proxyRttMs }),
    };
  }
}

function keyOf(path: PathSettings): string {
  return JSON.stringify(path);
}
