/** Exit codes are part of the interface (see README). */
export const ExitCode = {
  ok: 0,
  runFailed: 1,
  usage: 2,
  thresholdsBreached: 3,
  regression: 4,
  interrupted: 130,
} as const;
