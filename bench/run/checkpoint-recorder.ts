import { assembleResults } from '../results/assemble-results.js';
import type { Repetition, Results } from '../results/results-types.js';
import { summarizeScenario } from '../results/summarize-scenario.js';
import type { Suite, Variant } from '../scenarios/suite.js';
import { captureEnvironment } from './environment.js';
import { inFlightPerConnectionOf, type SuiteRun } from './run-suite.js';

interface Recorded {
  readonly driver: string;
  readonly engine: string;
  readonly repetitions: Repetition[];
}

/**
 * Follows a running suite and hands a partial results document (endReason `running`) to
 * `write` once the servers are up and after every repetition, so that even a run killed
 * with SIGKILL leaves its last checkpoint behind. Between repetitions no load runs, so
 * writing (and fsyncing) then disturbs no measurement.
 */
export class CheckpointRecorder {
  private readonly startedAt = new Date().toISOString();
  private readonly environment = captureEnvironment();
  /** By scenario name, then variant, in the order they ran. */
  private readonly recorded = new Map<string, Map<Variant, Recorded>>();
  private readonly warnings: string[] = [];

  constructor(
    run: SuiteRun,
    private readonly options: {
      readonly suite: Suite;
      readonly pinned: boolean;
      readonly write: (results: Results) => void;
    },
  ) {
    run.on('warning', (message) => this.warnings.push(message));
    run.on('servers', () => this.checkpoint());
    run.on('repetitionEnd', ({ scenario, variant, repetition, driver, engine }) => {
      const variants = this.recorded.get(scenario.name) ?? new Map<Variant, Recorded>();
      this.recorded.set(scenario.name, variants);
      const entry = variants.get(variant) ?? { driver, engine, repetitions: [] };
      variants.set(variant, entry);
      entry.repetitions.push(repetition);
      this.checkpoint();
    });
  }

  /** The document a checkpoint holds now. */
  results(): Results {
    const { suite } = this.options;
    const scenarios = suite.scenarios.flatMap((scenario) => {
      const variants = this.recorded.get(scenario.name);
      if (!variants) return [];
      // The same order as the finished document: the scenario's variants as listed.
      return scenario.variants.flatMap((variant) => {
        const entry = variants.get(variant);
        if (!entry) return [];
        return [
          summarizeScenario(scenario, {
            variant,
            driver: entry.driver,
            engine: entry.engine,
            inFlightPerConnection: inFlightPerConnectionOf(scenario),
            repetitions: entry.repetitions,
          }),
        ];
      });
    });
    return assembleResults({
      environment: this.environment,
      suite,
      pinned: this.options.pinned,
      startedAt: this.startedAt,
      endReason: 'running',
      scenarios,
      warnings: this.warnings,
    });
  }

  private checkpoint(): void {
    this.options.write(this.results());
  }
}
