#!/usr/bin/env node
// The built CLI (npm ci builds dist/ through the prepare script).
await import('../dist/workers/cli.js');
