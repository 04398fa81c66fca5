import { join, resolve } from 'node:path';
import type { Results } from '../bench/results/results-types.js';
import { writeResults } from '../bench/results/write-results.js';
import { SuiteRun } from '../bench/run/run-suite.js';
import { adviseSweep } from '../bench/scenarios/advise-sweep.js';
import { parseDurationMs } from '../bench/scenarios/duration.js';
import { AdviseError, advise, describeAdvice } from '../reports/decision/advise.js';
import { InvalidResultsError, readResults, writeReports } from '../reports/write-reports.js';
import { defineCommand, parseCommand } from './command-definition.js';
import { ExitCode } from './exit-codes.js';
import { numberOption } from './parse-options.js';
import { reportProgress } from './run-progress.js';
import { UsageError } from './usage-error.js';

export const adviseCommand = defineCommand({
  name: 'advise',
  summary: 'Which variant to use for one workload, from the closest measured points (docs/decision.md).',
  description: `Reads the size sweeps of the results given (or of a small sweep it runs first, within two minutes, over the question's own round trip and bandwidth: a 3 s and a 30 s recording, default and tuned, one call at a time) and answers: the variant with the lowest expected p50 for that recording, its expected p50 and bytes per call interpolated on log size between the measured sizes around the question, the settings to change (raised HTTP/2 windows only where they measurably helped; what a stack cannot raise, said), the measured points used and how far each is from the question, and a confidence (high, medium, low) with its reasons.

Exit codes: 0 ok, 1 the sweep failed, 2 bad usage or results with no transcribe scenario.`,
  options: {
    'audio-seconds': {
      type: 'string',
      value: 'S',
      description: 'length of one recording sent per call (16 kHz, 16-bit: 32,000 bytes a second); required',
    },
    rtt: {
      type: 'string',
      value: 'DURATION',
      description: 'round trip between client and server, e.g. 50ms; required',
    },
    bandwidth: {
      type: 'string',
      value: 'RATE',
      description: 'the link rate, e.g. 20Mbit/s, 500kbit/s, 1Gbit/s (a bare number is Mbit/s); required',
    },
    rate: {
      type: 'string',
      value: 'R',
      description: 'calls a second the service must take (checked against the link)',
    },
    results: {
      type: 'string',
      multiple: true,
      value: 'DIR',
      description:
        'read DIR/results.json instead of running a sweep (repeatable: the points of all are used)',
    },
    out: {
      type: 'string',
      default: 'results/advise',
      value: 'DIR',
      description: "where the sweep's results.json and reports go when no --results is given",
    },
    json: { type: 'boolean', default: false, description: 'print the advice as one JSON object on stdout' },
  },
  examples: [
    'grpc-rest-bench advise --audio-seconds 30 --rtt 50ms --bandwidth 20Mbit/s --results results/decision',
    'grpc-rest-bench advise --audio-seconds 1 --rtt 0.5ms --bandwidth 1Gbit/s --json',
  ],
});

const rateUnits: Record<string, number> = { k: 1e-3, m: 1, g: 1e3 };

/** "20Mbit/s", "500 kbit/s", "1Gbps", or a bare number of Mbit/s. */
export function parseBandwidthMbps(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(?:([kmg])(?:bit\/s|bps))?$/i.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]) * rateUnits[(match[2] ?? 'm').toLowerCase()]!;
  return value > 0 && value <= 10_000 ? value : undefined;
}

function parseAdviseOptions(argv: readonly string[]) {
  const { values } = parseCommand(adviseCommand, argv);
  const problems: string[] = [];
  const required = (name: 'audio-seconds' | 'rtt' | 'bandwidth') => {
    if (values[name] === undefined) problems.push(`--${name} is required`);
    return values[name];
  };
  const audio = required('audio-seconds');
  const audioSeconds = numberOption('audio-seconds', audio, 0, 0.01, problems);
  if (audio !== undefined && audioSeconds > 600) problems.push('--audio-seconds must be at most 600');
  const rttText = required('rtt');
  const rttMs = rttText === undefined ? undefined : parseDurationMs(rttText);
  if (rttText !== undefined && !(rttMs !== undefined && rttMs > 0 && rttMs <= 10_000))
    problems.push(`--rtt must be a duration above 0 and at most 10s, like 50ms, not "${rttText}"`);
  const bandwidthText = required('bandwidth');
  const bandwidthMbps = bandwidthText === undefined ? undefined : parseBandwidthMbps(bandwidthText);
  if (bandwidthText !== undefined && bandwidthMbps === undefined)
    problems.push(
      `--bandwidth must be a rate above 0 and at most 10Gbit/s, like 20Mbit/s, not "${bandwidthText}"`,
    );
  const rate = values.rate === undefined ? undefined : numberOption('rate', values.rate, 0, 0.001, problems);
  if (problems.length > 0) throw new UsageError(problems);
  return {
    question: {
      audioSeconds,
      rttMs: rttMs!,
      bandwidthMbps: bandwidthMbps!,
      ...(rate === undefined ? {} : { rate }),
    },
    results: values.results ?? [],
    out: values.out,
    json: values.json,
  };
}

async function runSweep(question: { rttMs: number; bandwidthMbps: number }, out: string): Promise<Results> {
  const { suite, plannedS } = adviseSweep(question);
  process.stderr.write(
    `no --results: running a small sweep first (${suite.scenarios.length} scenarios, about ${Math.round(plannedS)} s of load) into ${out}\n`,
  );
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    const run = new SuiteRun({ suite, host: '127.0.0.1', pin: false, signal: controller.signal });
    reportProgress(run);
    const results = await run.run();
    writeResults(out, results);
    writeReports(out, results);
    return results;
  } finally {
    process.off('SIGINT', stop);
  }
}

export async function adviseCli(argv: readonly string[]): Promise<number> {
  const options = parseAdviseOptions(argv);
  let documents: Results[];
  if (options.results.length > 0) {
    try {
      documents = options.results.map((dir) => readResults(join(resolve(dir), 'results.json')));
    } catch (error) {
      if (error instanceof InvalidResultsError) throw new UsageError([error.message]);
      throw error;
    }
  } else {
    const results = await runSweep(options.question, resolve(options.out));
    if (results.endReason !== 'completed') {
      process.stderr.write(`the sweep ended ${results.endReason}: no advice from partial results\n`);
      return results.endReason === 'interrupted' ? ExitCode.interrupted : ExitCode.runFailed;
    }
    documents = [results];
  }
  try {
    const advice = advise(documents, options.question);
    process.stdout.write(
      options.json ? `${JSON.stringify(advice, null, 2)}\n` : `${describeAdvice(advice).join('\n')}\n`,
    );
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof AdviseError) throw new UsageError([error.message]);
    throw error;
  }
}
