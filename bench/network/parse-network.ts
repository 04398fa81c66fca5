/**
 * A suite's `network`: a profile's name (`wan`), or an object, either a named profile with
 * the congestion-window model switched (`{ profile: wan, congestionWindow: false }`) or
 * custom settings (`{ rtt: 30ms, jitter: 5ms, down: 100, up: 20 }`, rates in Mbit/s).
 */
import { durationSchema as duration, parseDurationMs } from '../scenarios/duration.js';
import {
  customPathProblems,
  customProfile,
  type NetworkProfile,
  type NetworkProfileName,
  namedProfile,
  networkProfileNames,
} from './network-profile.js';

export type RawNetwork =
  | NetworkProfileName
  | {
      readonly profile?: NetworkProfileName;
      readonly rtt?: string | number;
      readonly jitter?: string | number;
      readonly down?: number;
      readonly up?: number;
      readonly congestionWindow?: boolean;
    };

/** The suite schema's part for `network` (suite-schema.ts). */
export const networkSchema = {
  anyOf: [
    { enum: networkProfileNames },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        profile: { enum: networkProfileNames },
        rtt: duration,
        jitter: duration,
        down: { type: 'number', exclusiveMinimum: 0 },
        up: { type: 'number', exclusiveMinimum: 0 },
        congestionWindow: { type: 'boolean' },
      },
    },
  ],
} as const;

const ms = (value: string | number | undefined) => (value === undefined ? undefined : parseDurationMs(value));

export function parseNetwork(raw: RawNetwork): NetworkProfile {
  if (typeof raw === 'string') return namedProfile(raw);
  if (raw.profile !== undefined) return namedProfile(raw.profile, raw.congestionWindow ?? true);
  const jitterMs = ms(raw.jitter);
  return customProfile(
    {
      rttMs: ms(raw.rtt)!,
      ...(jitterMs === undefined ? {} : { jitterMs }),
      downMbps: raw.down!,
      ...(raw.up === undefined ? {} : { upMbps: raw.up }),
    },
    raw.congestionWindow ?? true,
  );
}

/** Every problem with a `network` the schema let through (empty when fine). */
export function networkProblems(where: string, raw: RawNetwork): string[] {
  if (typeof raw === 'string') return [];
  const custom =
    raw.rtt !== undefined || raw.jitter !== undefined || raw.down !== undefined || raw.up !== undefined;
  if (raw.profile !== undefined) {
    if (custom) return [`${where}: network takes a profile or custom rtt/jitter/down/up, not both`];
    if (raw.profile === 'loopback' && raw.congestionWindow !== undefined)
      return [`${where}: loopback has no emulated path, so no congestion window to switch`];
    return [];
  }
  if (raw.rtt === undefined || raw.down === undefined)
    return [`${where}: a custom network needs at least rtt and down (Mbit/s)`];
  return customPathProblems(where, {
    rttMs: ms(raw.rtt)!,
    ...(raw.jitter === undefined ? {} : { jitterMs: ms(raw.jitter)! }),
    downMbps: raw.down,
    ...(raw.up === undefined ? {} : { upMbps: raw.up }),
  });
}
