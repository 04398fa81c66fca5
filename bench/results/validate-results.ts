import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { balanceProblems } from '../accounting/request-counts.js';
import { partsTotal } from '../drivers/byte-breakdown.js';
import type { Repetition } from './results-types.js';

/**
 * A breakdown is of the socket's bytes: its parts must add up to them exactly. Over TLS
 * they are plaintext and the TLS part is the rest.
 */
function breakdownProblems(bytes: Repetition['bytes']): string[] {
  const { breakdown } = bytes;
  if (!breakdown) return [];
  return (['written', 'read'] as const).flatMap((direction) => {
    const sum = partsTotal(breakdown[direction]) + (bytes.tls?.[direction] ?? 0);
    return sum === bytes[direction]
      ? []
      : [`bytes ${direction} by part add up to ${sum}, not ${bytes[direction]}`];
  });
}

export const resultsSchemaPath = fileURLToPath(new URL('./results.schema.json', import.meta.url));

const validateShape = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(
  JSON.parse(readFileSync(resultsSchemaPath, 'utf8')) as object,
);

/** Every problem with a results document: its shape against the published schema, and its accounting. */
export function resultsProblems(document: unknown): string[] {
  if (!validateShape(document)) {
    return (validateShape.errors ?? []).map(
      (e) => `${e.instancePath || '(top level)'}: ${e.message ?? e.keyword}`,
    );
  }
  const problems: string[] = [];
  const { scenarios } = document as {
    scenarios: Array<{
      scenario: string;
      variant: string;
      counts: never;
      repetitions: Array<{ counts: never; bytes: Repetition['bytes'] }>;
    }>;
  };
  for (const scenario of scenarios) {
    const where = `${scenario.scenario}/${scenario.variant}`;
    for (const problem of balanceProblems(scenario.counts)) problems.push(`${where}: ${problem}`);
    scenario.repetitions.forEach((repetition, i) => {
      for (const problem of balanceProblems(repetition.counts))
        problems.push(`${where} repetition ${i}: ${problem}`);
      for (const problem of breakdownProblems(repetition.bytes))
        problems.push(`${where} repetition ${i}: ${problem}`);
    });
  }
  return problems;
}
