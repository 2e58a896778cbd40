import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MigrationObject } from '@mikro-orm/core';
import { ChronicleError } from '../errors/index.js';
import type { Projection } from '../projections/index.js';

/** Migration files as MikroORM names them: `Migration<timestamp>[_<name>].ts|js`, no declarations. */
const migrationFile = /^Migration[\w-]*\.(ts|mts|js|mjs)$/;

type MigrationClass = MigrationObject['class'];

/**
 * The migrations in `folder`, in file-name order (MikroORM's timestamps sort). Each file exports
 * the class named as the file, or exactly one class.
 */
export const migrationsInFolder = async (folder: string): Promise<MigrationObject[]> => {
  let files: string[];
  try {
    files = readdirSync(folder).filter((file) => migrationFile.test(file) && !file.endsWith('.d.ts'));
  } catch {
    throw new ChronicleError('CONFIGURATION', `migrations folder ${folder} cannot be read`);
  }
  const migrations: MigrationObject[] = [];
  for (const file of files.sort()) {
    const name = basename(file, extname(file));
    const module = (await import(pathToFileURL(join(folder, file)).href)) as Record<string, unknown>;
    const classes = Object.values(module).filter((value) => typeof value === 'function');
    const named = module[name];
    const migrationClass =
      typeof named === 'function' ? named : classes.length === 1 ? classes[0] : undefined;
    if (!migrationClass)
      throw new ChronicleError('CONFIGURATION', `migration ${file} exports no class named ${name}`);
    migrations.push({ name, class: migrationClass as MigrationClass });
  }
  return migrations;
};

/**
 * The SQL a migration's `up` adds, read without a database (its driver is never called by
 * `addSql`); a migration that needs one gives nothing.
 */
const sqlOf = async (migration: MigrationObject): Promise<string> => {
  try {
    const Class = migration.class as unknown as new (
      driver: unknown,
      config: unknown,
    ) => { up(): Promise<void> | void; getQueries(): unknown[] };
    const instance = new Class({}, { get: () => undefined });
    await instance.up();
    return instance.getQueries().map(String).join('\n').toLowerCase();
  } catch {
    return '';
  }
};

/** The first projection table no migration creates, as `projection "x": table "y"`, or undefined. */
export const tableWithoutMigration = async (
  projections: readonly Projection[],
  migrations: readonly MigrationObject[],
): Promise<string | undefined> => {
  const sql = (await Promise.all(migrations.map(sqlOf))).join('\n');
  for (const projection of projections) {
    for (const table of projection.tables) {
      const creates = new RegExp(
        `create\\s+(unlogged\\s+)?table\\s+(if\\s+not\\s+exists\\s+)?("?public"?\\.)?"?${table}"?[\\s(]`,
      );
      if (!creates.test(sql))
        return `projection "${projection.name}" writes table "${table}", which none of the config's migrations creates`;
    }
  }
  return undefined;
};
