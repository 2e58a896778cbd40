import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * What `npm run build` compiles into dist/ (tsconfig.build.json's include). The sample domain
 * (actors/, migrations/domain) is not built: its config loads it from source.
 */
const sourceDirs = ['src', 'workers', 'otel', join('migrations', 'runtime')];

/** The first file under `dir` changed after `since` (ms since the epoch); specs are not built. */
const changedAfter = (dir, since) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = changedAfter(path, since);
      if (found) return found;
    } else if (!entry.name.includes('.spec.')) {
      // undefined for a dangling link (an editor's lock file, say)
      const stats = statSync(path, { throwIfNoEntry: false });
      if (stats && stats.mtimeMs > since) return path;
    }
  }
  return undefined;
};

/**
 * In a checkout (src/ beside dist/; an installed package has no src/), the line to print when a
 * source file changed after the last build of dist/, which the bin runs all the same (after a pull,
 * say). Undefined when the build is newer, outside a checkout, or before any build (the import of
 * dist/ then says so). Compares modification times only, reading no file: a few ms.
 */
export const staleBuildWarning = (root) => {
  if (!existsSync(join(root, 'src'))) return undefined;
  const marker = join(root, 'dist', 'workers', 'cli.js');
  if (!existsSync(marker)) return undefined;
  // tsc rewrites every output on each build, so the entry point's time is the build's
  const built = statSync(marker).mtimeMs;
  for (const dir of sourceDirs) {
    const path = join(root, dir);
    const changed = existsSync(path) ? changedAfter(path, built) : undefined;
    if (changed) {
      return `chronicle: ${relative(root, changed)} changed after the last build, and this runs dist/: run \`npm run build\`, or \`npm run chronicle -- …\` to run from source`;
    }
  }
  return undefined;
};
