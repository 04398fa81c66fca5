/**
 * What every report starts with, mitata style: the machine, the runtime, the versions, the commit,
 * and for each scenario how it was run (engine, load model, connection policy).
 */
import type { Results } from '../bench/results/results-types.js';
import { describeSteadiness } from '../bench/run/machine-steadiness.js';
import { formatBytes, formatNumber } from './format.js';
import { networkTuningLines } from './network-tuning-lines.js';
import { describeLoad, engineOf, scenarioNames } from './report-model.js';

export interface LabelledLine {
  readonly label: string;
  readonly value: string;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${formatNumber(ms / 1000)} s`;
}

function runLength(results: Results): string {
  const ms = Date.parse(results.finishedAt) - Date.parse(results.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ` (${seconds(ms)})` : '';
}

export function environmentLines(results: Results): LabelledLine[] {
  const env = results.environment;
  const packages = Object.entries(env.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(' · ');
  return [
    { label: 'cpu', value: `${env.cpuModel} (${env.cores} cores)` },
    {
      label: 'memory',
      value: `${formatBytes(env.memoryBytes)} (${formatBytes(env.freeMemoryBytes)} free at start)`,
    },
    ...(env.steadiness ? [{ label: 'steadiness', value: describeSteadiness(env.steadiness) }] : []),
    { label: 'runtime', value: `node ${env.node} (${env.os})` },
    { label: 'packages', value: packages || 'none recorded' },
    {
      label: 'commit',
      value: `${env.gitCommit}${env.gitDirty ? ' (uncommitted changes)' : ''} · ${env.tool.name} ${env.tool.version}`,
    },
    {
      label: 'suite',
      value: `${results.suite.name} · speech engine ${results.suite.stt} · classifier ${results.suite.classifier ?? 'words'} · ${results.suite.pinned ? 'pinned to CPUs' : 'not pinned to CPUs'}`,
    },
    { label: 'engines', value: enginesByScenario(results) },
    ...networkTuningLines(results),
    {
      label: 'run',
      value: `${results.startedAt} → ${results.finishedAt}${runLength(results)} · ${results.endReason}`,
    },
  ];
}

/** "sphinx (transcribe, transcribe-3s) · embedding (classify)": each engine with the scenarios it served. */
function enginesByScenario(results: Results): string {
  const byEngine = new Map<string, string[]>();
  for (const name of scenarioNames(results)) {
    const engine = engineOf(results, name);
    byEngine.set(engine, [...(byEngine.get(engine) ?? []), name]);
  }
  if (byEngine.size === 0) return 'none (no scenario ran)';
  return [...byEngine].map(([engine, names]) => `${engine} (${names.join(', ')})`).join(' · ');
}

/** The environment as a mitata-style text block. */
export function environmentBlock(results: Results): string {
  const lines = environmentLines(results);
  const width = Math.max(...lines.map((l) => l.label.length));
  return lines.map((l) => `${`${l.label}:`.padEnd(width + 2)}${l.value}`).join('\n');
}

export interface ScenarioSetupRow {
  readonly scenario: string;
  readonly rpc: string;
  readonly payload: string;
  readonly family: string;
  readonly engine: string;
  readonly load: string;
  readonly drivers: string;
  readonly repetitions: string;
  readonly timing: string;
}

export function scenarioSetupRows(results: Results): ScenarioSetupRow[] {
  return scenarioNames(results).map((name) => {
    const all = results.scenarios.filter((s) => s.scenario === name);
    const first = all[0]!;
    const distinct = (values: readonly (string | number)[]) => [...new Set(values.map(String))].join(' / ');
    return {
      scenario: name,
      rpc: distinct(all.map((s) => s.rpc)),
      payload: distinct(all.map((s) => s.payload)),
      family: distinct(all.map((s) => s.family)),
      engine: engineOf(results, name),
      load: distinct(all.map(describeLoad)),
      drivers: all.map((s) => `${s.variant}: ${s.driver}`).join(' · '),
      repetitions: distinct(all.map((s) => s.repetitions.length)),
      timing: `${seconds(first.warmupMs)} warm-up + ${seconds(first.durationMs)} measured`,
    };
  });
}

export interface ConnectionPolicyRow {
  readonly scenario: string;
  readonly variant: string;
  readonly connections: number;
  readonly inFlightPerConnection: number;
  readonly inFlight: number;
}

export function connectionPolicyRows(results: Results): ConnectionPolicyRow[] {
  return results.scenarios.map((s) => ({
    scenario: s.scenario,
    variant: s.variant,
    connections: s.connectionPolicy.connections,
    inFlightPerConnection: s.connectionPolicy.inFlightPerConnection,
    inFlight: s.connectionPolicy.connections * s.connectionPolicy.inFlightPerConnection,
  }));
}

export const connectionPolicyNote =
  'Every variant of a scenario opens the same number of connections and keeps at most the same number of requests in flight on each, so neither protocol wins by opening more connections. In flight per connection means concurrent streams on HTTP/2 and the pipelining depth on HTTP/1.1 keep-alive connections.';
