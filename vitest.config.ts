import { defineConfig } from 'vitest/config';

// CI reads its verdict from a JSON report (see .ci/run); people read the default one.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.cache/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One file at a time: the latency and real-time tests share 2 cores with
    // whatever else runs, and must not be measured against the rest of the suite.
    fileParallelism: false,
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
  },
});
