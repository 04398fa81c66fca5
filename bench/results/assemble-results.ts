import type { Environment } from '../run/environment.js';
import type { Suite } from '../scenarios/suite.js';
import type { EndReason, Results, ScenarioResult } from './results-types.js';
import { resultsSchemaVersion } from './results-types.js';
import { suiteComparisons } from './summarize-scenario.js';

export interface ResultsParts {
  readonly environment: Environment;
  readonly suite: Suite;
  readonly pinned: boolean;
  /** Node's flags for every server the run started (undefined: servers it did not start). */
  readonly serverNodeFlags?: readonly string[] | undefined;
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
      ...(parts.serverNodeFlags ? { serverNodeFlags: parts.serverNodeFlags } : {}),
      ...(suite.engineThreads === undefined ? {} : { engineThreads: suite.engineThreads }),
      classifier: suite.classifier,
      thresholds: suite.thresholds,
    },
    startedAt: parts.startedAt,
    finishedAt: new Date().toISOString(),
    endReason: parts.endReason,
    scenarios: parts.scenarios,
    comparisons: suiteComparisons(parts.scenarios),
    warnings: [...parts.warnings],
  };
}
