/** Exit codes are part of the interface (see README). */
export const ExitCode = {
  ok: 0,
  runFailed: 1,
  usage: 2,
  thresholdsBreached: 3,
  regression: 4,
  interrupted: 130,
} as const;

/** The exit codes in one line, for the help overview and docs/cli.md. */
export const exitCodesLine =
  'Exit codes: 0 ok, 1 run failed, 2 bad usage or config, 3 thresholds breached, 4 regression, 130 interrupted.';
