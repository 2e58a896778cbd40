#!/usr/bin/env node
/**
 * Adds lock entries for optional, platform-specific packages the registry mirror of our machines
 * does not serve (e.g. @biomejs/cli-darwin-arm64): `npm install` leaves them out of the lock, and
 * `npm ci` then refuses the lock as out of sync. As optional entries, `npm ci` skips them where the
 * platform does not match, or when it cannot fetch them. Run after every `npm install`:
 *   node scripts/complete-lockfile.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
const added = [];
for (const [location, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    // hoisted layout: a missing optional dependency would sit at the top level
    const key = `node_modules/${name}`;
    if (packages[key] || packages[`${location}/node_modules/${name}`]) continue;
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) {
      throw new Error(
        `${name}@${version} (from ${location || 'the root'}): not an exact version; add it by hand`,
      );
    }
    packages[key] = { version, ...(meta.dev ? { dev: true } : {}), optional: true };
    added.push(`${name}@${version}`);
  }
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length}: ${added.join(', ')}` : 'lock already complete');
