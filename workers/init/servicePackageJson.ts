import type { RuntimeManifest } from './runtimePackage.js';

/** What a domain imports besides the runtime: the runtime's peers, at the ranges it accepts. */
const domainPeers = ['xstate', 'zod'] as const;
/** What the scaffold's scripts use, at the versions this runtime is built and tested with. */
const toolchain = ['typescript', 'vitest', '@types/node'] as const;

const pick = (from: Readonly<Record<string, string>> | undefined, names: readonly string[], what: string) =>
  Object.fromEntries(
    names.map((name) => {
      const version = from?.[name];
      if (version === undefined) throw new Error(`chronicle-runtime's package.json has no ${what} ${name}`);
      return [name, version];
    }),
  );

/**
 * The new service's package.json: ESM, the `chronicle` scripts, chronicle-runtime at the version
 * that scaffolds it (exact), xstate and zod at the runtime's peer ranges (one copy each, shared
 * with the runtime), its test and type-check tools at the versions the runtime pins.
 */
export const servicePackageJson = (name: string, runtime: RuntimeManifest) => ({
  name,
  version: '0.1.0',
  private: true,
  type: 'module',
  ...(runtime.engines?.node ? { engines: { node: runtime.engines.node } } : {}),
  scripts: {
    dev: 'chronicle dev',
    test: 'vitest run',
    build: 'tsc',
    migrate: 'chronicle migrate',
  },
  dependencies: {
    'chronicle-runtime': runtime.version,
    ...pick(runtime.peerDependencies, domainPeers, 'peer dependency'),
  },
  devDependencies: pick(runtime.devDependencies, toolchain, 'devDependency'),
});

/** An npm package name made of a directory's name: lower case, other characters as `-`. */
export const serviceName = (directoryName: string): string =>
  directoryName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '') || 'service';
