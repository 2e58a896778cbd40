import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of chronicle-runtime's own package.json that `chronicle init` copies from. */
export type RuntimeManifest = {
  readonly name: string;
  readonly version: string;
  readonly engines?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
};

export type RuntimePackage = {
  /** The package's root: templates/ is there. */
  readonly root: string;
  readonly manifest: RuntimeManifest;
};

/**
 * The chronicle-runtime package this code runs from: the first package.json named so above this
 * file (workers/init in a checkout, dist/workers/init once built and installed).
 */
export const runtimePackage = (from: string = fileURLToPath(import.meta.url)): RuntimePackage => {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as RuntimeManifest;
      if (manifest.name === 'chronicle-runtime') return { root: dir, manifest };
    }
    if (dirname(dir) === dir) throw new Error(`no chronicle-runtime package.json above ${from}`);
  }
};
