import { join } from 'node:path';
import { Migrator, TSMigrationGenerator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { ChronicleError } from '../errors/index.js';

/** What a migration name may be: it becomes part of a class name (`Migration<timestamp>_<name>`). */
const migrationName = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/**
 * MikroORM's TypeScript migration, importing `Migration` from chronicle-runtime (a project depends
 * on it, not on @mikro-orm/migrations) and with an empty `up` and `down` to fill in, instead of the
 * blank migration's `select 1`.
 */
class DomainMigrationGenerator extends TSMigrationGenerator {
  override generateMigrationFile(className: string): string {
    return `import { Migration } from 'chronicle-runtime';

export class ${className} extends Migration {
  override async up(): Promise<void> {
    // this.addSql('create table loans_view (loan_id text primary key, ...)');
  }

  override async down(): Promise<void> {
    // this.addSql('drop table loans_view');
  }
}
`;
  }
}

/**
 * Writes a new, empty migration named `name` into `folder` through MikroORM's migrator (its file
 * name and class name: `Migration<timestamp>_<name>.ts`), without a database connection. Returns
 * the file's path.
 */
export const createMigrationFile = async (folder: string, name: string): Promise<string> => {
  if (!migrationName.test(name))
    throw new ChronicleError(
      'CONFIGURATION',
      `migration name "${name}" must be a letter then letters, digits or _ (it becomes a class name)`,
    );
  const orm = await MikroORM.init({
    // never connected: a blank migration needs no schema diff
    connect: false,
    clientUrl: 'postgres://127.0.0.1/unused',
    entities: [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: { path: folder, emit: 'ts', snapshot: false, generator: DomainMigrationGenerator },
    debug: false,
  });
  try {
    const { fileName } = await orm.getMigrator().createMigration(folder, true, false, name);
    return join(folder, fileName);
  } finally {
    await orm.close(true);
  }
};
