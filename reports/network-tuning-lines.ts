/**
 * The environment lines for networks and tunings: each scenario's path and this run's
 * check of it, every tuning setting (the ones a stack cannot change included), and, where
 * an HTTP/2 variant crossed an emulated path with the stacks' 64 KiB windows, how many
 * round trips its calls took and what would lift that.
 */
import { describeNetwork } from '../bench/network/network-profile.js';
import type { Results, ScenarioResult } from '../bench/results/results-types.js';
import { tunedConnectionWindowBytes, tunedStreamWindowBytes } from '../servers/tuning.js';
import { formatNumber } from './format.js';

interface Line {
  readonly label: string;
  readonly value: string;
}

const http2Variants: readonly string[] = ['grpc', 'grpc-connect', 'rest-json-h2'];

function byValue(scenarios: readonly ScenarioResult[], describe: (s: ScenarioResult) => string): string {
  const groups = new Map<string, Set<string>>();
  for (const s of scenarios) groups.set(describe(s), (groups.get(describe(s)) ?? new Set()).add(s.scenario));
  return [...groups].map(([value, names]) => `${value} (${[...names].join(', ')})`).join(' · ');
}

function networkOf(s: ScenarioResult): string {
  const network = s.network;
  if (!network?.path) return 'loopback (no proxy)';
  const described = describeNetwork({ name: network.name, path: network.path });
  const check = network.selfCheck;
  if (!check) return described;
  const verdict = check.passed ? 'within 10%' : `MISSED: ${check.problems.join('; ')}`;
  return `${described}; self-check ${check.rttMs} ms, ${check.upMbps} up/${check.downMbps} down Mbit/s, ${verdict}`;
}

function tuningOf(s: ScenarioResult): string {
  const tuning = s.tuning;
  if (!tuning) return 'default';
  const settings = tuning.settings
    .filter((setting) => (tuning.name === 'tuned' && setting.setting !== 'none') || setting.value === null)
    .map((setting) =>
      setting.value === null
        ? `${setting.where}: ${setting.note ?? 'not settable'}`
        : `${setting.where} ${setting.setting} = ${setting.value}`,
    );
  return settings.length > 0
    ? `${tuning.name}: ${settings.join('; ')}`
    : `${tuning.name} (the stacks' own settings)`;
}

/** "grpc on wan-upload: p50 936 ms = 18.7 round trips of 50 ms", for HTTP/2 variants at 64 KiB windows. */
function windowNote(results: Results): Line[] {
  const limited = results.scenarios.filter(
    (s) =>
      s.network?.path &&
      http2Variants.includes(s.variant) &&
      (s.tuning?.name !== 'tuned' || s.variant === 'grpc') &&
      s.rpc !== 'classify',
  );
  if (limited.length === 0) return [];
  const trips = limited.map(
    (s) =>
      `${s.variant} on ${s.scenario}${s.tuning?.name === 'tuned' ? ' (tuned)' : ''}: p50 ${formatNumber(s.latencyUs.p50 / 1000)} ms = ${formatNumber(s.latencyUs.p50 / 1000 / s.network!.path!.rttMs)} round trips of ${s.network!.path!.rttMs} ms`,
  );
  return [
    {
      label: '64 KiB windows',
      value:
        `${trips.join(' · ')}. An HTTP/2 receiver at the stacks' default window (65,535 bytes per stream and per connection) lets a sender have at most 64 KiB unacknowledged per round trip, so a 960 KB upload needs about 15 round trips whatever the link's rate. ` +
        `Tuning tuned lifts it (stream window ${tunedStreamWindowBytes}, connection window ${tunedConnectionWindowBytes} bytes) for grpc-connect and rest-json-h2; grpc-js 1.14's server has no setting for its windows (grpc/grpc-node#3058 is open), so grpc stays at 64 KiB per round trip.`,
    },
  ];
}

export function networkTuningLines(results: Results): Line[] {
  const scenarios = results.scenarios;
  if (scenarios.every((s) => !s.network?.path && s.tuning?.name !== 'tuned')) return [];
  return [
    { label: 'networks', value: byValue(scenarios, networkOf) },
    { label: 'tuning', value: byValue(scenarios, tuningOf) },
    ...windowNote(results),
  ];
}
