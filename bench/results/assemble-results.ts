import type { Environment } from '../run/environment.js';
import type { Suite, Variant } from '../scenarios/suite.js';
import type { Comparison, EndReason, Results, ScenarioResult } from './results-types.js';
import { resultsSchemaVersion } from './results-types.js';
import { compareVariants } from './summarize-scenario.js';

export interface ResultsParts {
  readonly environment: Environment;
  readonly suite: Suite;
  readonly pinned: boolean;
  readonly startedAt: string;
  readonly endReason: EndReason;
  readonly scenarios: readonly ScenarioResult[];
  readonly warnings: readonly string[];
}

/** The results document, from a finished run or from a checkpoint of a running one. */
export function assembleResults(parts: ResultsParts): Results {
  const { suite } = parts;
  return {
    schemaVersion: resultsSchemaVersion,
    environment: parts.environment,
    suite: {
      name: suite.name,
      description: suite.description,
      stt: suite.stt,
      pinned: parts.pinned,
      thresholds: suite.thresholds,
    },
    startedAt: parts.startedAt,
    finishedAt: new Date().toISOString(),
    endReason: parts.endReason,
    scenarios: parts.scenarios,
    comparisons: comparisons(parts.scenarios),
    warnings: [...parts.warnings],
  };
}

/** Every variant against REST/JSON over HTTP/1.1, scenario by scenario. */
function comparisons(scenarios: readonly ScenarioResult[]): Comparison[] {
  const reference: Variant = 'rest-json-h1';
  return scenarios.flatMap((a) => {
    if (a.variant === reference) return [];
    const b = scenarios.find((s) => s.scenario === a.scenario && s.variant === reference);
    if (!b || a.repetitions.length === 0 || b.repetitions.length === 0) return [];
    // A variant with no answers has no figures to divide.
    return compareVariants(a, b).filter((comparison) => Number.isFinite(comparison.ratio));
  });
}
