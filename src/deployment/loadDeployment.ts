import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MigrationObject } from '@mikro-orm/core';
import { ChronicleError, isChronicleError } from '../errors/index.js';
import { type Chronicle, isChronicle } from './defineChronicle.js';
import { migrationsInFolder, tableWithoutMigration } from './domainMigrations.js';
import { type ConfigLookup, findConfigFile } from './findConfigFile.js';

/** A deployment config, loaded and checked: what the CLI and every pod kind run. */
export type LoadedDeployment = {
  /** The config file's absolute path. */
  readonly file: string;
  readonly chronicle: Chronicle;
  /** The domain's migrations, read from the folder the config names, if it names one. */
  readonly migrations: readonly MigrationObject[];
  /** Where `chronicle migration create` writes; undefined when the config lists its migrations. */
  readonly migrationsFolder: string | undefined;
};

let typeScriptLoader: Promise<unknown> | undefined;

/**
 * TypeScript config and domain files load without a build step: tsx's loader hooks (esbuild),
 * registered once per process. Imports written the NodeNext way (`./loan.js` for `loan.ts`) work.
 */
const registerTypeScript = () => {
  typeScriptLoader ??= import('tsx/esm/api').then(({ register }) => register());
  return typeScriptLoader;
};

const failIn = (file: string, message: string): never => {
  throw new ChronicleError('CONFIGURATION', `${file}: ${message}`);
};

const importConfig = async (file: string): Promise<unknown> => {
  await registerTypeScript();
  try {
    return ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  } catch (error) {
    // a definition refused while the file ran (defineAggregate, defineChronicle) names itself
    if (isChronicleError(error)) return failIn(file, error.message);
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return failIn(file, `cannot be loaded: ${message}`);
  }
};

/**
 * Finds the deployment config (`--config`, CHRONICLE_CONFIG, or the working directory and up),
 * imports it and checks it. Anything wrong is one CONFIGURATION error naming the file and what.
 */
export const loadDeployment = async (lookup: ConfigLookup = {}): Promise<LoadedDeployment> => {
  const file = findConfigFile(lookup);
  const exported = await importConfig(file);
  if (!isChronicle(exported))
    return failIn(
      file,
      'its default export must be defineChronicle({ aggregates, ... }) from chronicle-runtime',
    );
  const chronicle = exported;
  const named = chronicle.migrations;
  const migrationsFolder = Array.isArray(named)
    ? undefined
    : resolve(dirname(file), (named as { folder: string }).folder);
  let migrations: readonly MigrationObject[];
  try {
    migrations = migrationsFolder
      ? await migrationsInFolder(migrationsFolder)
      : (named as readonly MigrationObject[]);
  } catch (error) {
    return failIn(file, (error as Error).message);
  }
  const missing = await tableWithoutMigration(chronicle.projections, migrations);
  if (missing) failIn(file, missing);
  return { file, chronicle, migrations, migrationsFolder };
};
