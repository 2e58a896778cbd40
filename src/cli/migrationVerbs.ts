import { relative } from 'node:path';
import { createMigrationFile } from '../db/createMigrationFile.js';
import { ChronicleError } from '../errors/index.js';
import { CliUsageError, EXIT, printJson } from './cliOutput.js';

/** Where a deployment's config keeps its migrations (what `loadDeployment` found). */
export type MigrationsHome = {
  /** The config file, named in errors. */
  readonly file: string;
  /** Undefined when the config lists its migrations instead of naming a folder. */
  readonly migrationsFolder: string | undefined;
};

/** The `migration` verb, for `runCli`'s `verbs`: `migration create <name>`. */
export const migrationVerbs = ({ file, migrationsFolder }: MigrationsHome) => ({
  migration: async (args: string[]): Promise<number> => {
    const [subverb, name, ...extra] = args;
    if (subverb !== 'create' || !name || extra.length > 0) throw new CliUsageError('migration create <name>');
    if (migrationsFolder === undefined)
      throw new ChronicleError(
        'CONFIGURATION',
        `${file}: its migrations are a list, so there is no folder to write one into: name one with migrations: { folder: './migrations' }`,
      );
    const path = await createMigrationFile(migrationsFolder, name);
    const shown = relative(process.cwd(), path);
    printJson({ created: shown.startsWith('..') ? path : shown });
    return EXIT.ok;
  },
});
