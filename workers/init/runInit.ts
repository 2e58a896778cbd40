import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliUsageError } from '../../src/cli/index.js';
import { copyManifests } from './copyManifests.js';
import { copyTemplate } from './copyTemplate.js';
import { type RuntimePackage, runtimePackage } from './runtimePackage.js';
import { serviceName, servicePackageJson } from './servicePackageJson.js';

export type InitOptions = {
  /** Where the service goes; the working directory when left out. */
  readonly dir: string;
  /** Write into a directory that holds files already (same names are overwritten). */
  readonly force: boolean;
};

export const parseInitArgs = (args: readonly string[]): InitOptions => {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false } },
  });
  if (positionals.length > 1) throw new CliUsageError('init [dir] [--force]');
  return { dir: positionals[0] ?? '.', force: values.force };
};

/** Why `dir` cannot take a new service, or undefined. */
const refusal = (dir: string, force: boolean): string | undefined => {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return `${dir} is a file, not a directory`;
  if (force || readdirSync(dir).length === 0) return undefined;
  return `${dir} is not empty: choose a new directory, or add --force to write into it`;
};

/**
 * `chronicle init [dir] [--force]`: scaffolds a service on chronicle-runtime from the package's
 * templates/service (a ticket aggregate, a projection with its migration and query, a spec, a
 * Dockerfile, a compose file, the Kubernetes manifests with its image) and a package.json depending
 * on this very version.
 */
export const runInit = async (
  args: readonly string[],
  runtime: RuntimePackage = runtimePackage(),
  cwd: string = process.cwd(),
): Promise<number> => {
  const options = parseInitArgs(args);
  const dir = resolve(cwd, options.dir);
  const refused = refusal(dir, options.force);
  if (refused) throw new Error(refused);
  const name = serviceName(basename(dir));
  copyTemplate(join(runtime.root, 'templates', 'service'), dir, { SERVICE_NAME: name });
  copyManifests(runtime.root, dir, name);
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(servicePackageJson(name, runtime.manifest), null, 2)}\n`,
  );
  const shown = relative(cwd, dir);
  const enter = shown === '' ? '' : `cd ${shown} && `;
  process.stdout.write(
    `Created ${name} (chronicle-runtime ${runtime.manifest.version}) in ${dir}. Next:
  ${enter}npm install && npm test
  docker compose up -d postgres redis nats jaeger
  npm run migrate && npm run dev -- --traffic 5
`,
  );
  return 0;
};
