#!/usr/bin/env node
// The built CLI (npm ci builds dist/ through the prepare script).
import { fileURLToPath } from 'node:url';

try {
  const { staleBuildWarning } = await import('./staleBuildWarning.js');
  const warning = staleBuildWarning(fileURLToPath(new URL('..', import.meta.url)));
  if (warning) process.stderr.write(`${warning}\n`);
} catch {
  // the check only warns: it never stands in the way of the command
}
await import('../dist/workers/cli.js');
