import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = {
  'chronicle-runtime/testing': fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)),
  'chronicle-runtime': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
};

// In CI each run (unit, int) also writes a JSON report, summed up by .ci/run into one closing line.
const project = process.argv[process.argv.indexOf('--project') + 1] ?? 'all';
const ciReports = process.env.CI
  ? { reporters: ['default', 'json'], outputFile: { json: `test-artifacts/vitest-${project}.json` } }
  : {};

export default defineConfig({
  resolve: { alias },
  test: {
    ...ciReports,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['{src,actors,workers}/**/*.unit.spec.ts', 'templates/service/**/*.spec.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'int',
          include: ['test/**/*.{int,e2e}.spec.ts'],
          environment: 'node',
          testTimeout: 120_000,
          // in-process workers stay quiet; spawned pods log at info (test/support/processes.ts)
          // the sample marks personal fields: its pods need a key-encryption key (a test-only one)
          env: { LOG_LEVEL: 'silent', CHRONICLE_KEK: 'test:MrB9jpsLMGXOlptHgJ4AmXZ9HyNgUPmV90AuFetXtNA=' },
          hookTimeout: 120_000,
          // Integration files each get their own database and queue prefix, but the machine has two
          // cores and several files spawn worker processes: two files at a time keeps timings sane.
          maxWorkers: 2,
          fileParallelism: true,
        },
      },
    ],
  },
});
