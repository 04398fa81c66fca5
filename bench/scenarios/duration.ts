const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Parses `500ms`, `10s`, `2m` (or a number of milliseconds); undefined when malformed. */
export function parseDurationMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * units[match[2]!]!;
}

/** The JSON schema of a duration as suite files spell it: `500ms`, `10s`, `2m`, or milliseconds. */
export const durationSchema = {
  anyOf: [
    { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m)$' },
    { type: 'number', minimum: 0 },
  ],
} as const;
