import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runToEnd } from '../support/processes.js';
import { dropDatabase } from '../support/testDatabase.js';

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/chronicle_test';

/** A project of its own outside the repository: a config and, maybe, a migrations folder. */
const project = (root: string, migrations: string) => {
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, 'chronicle.config.ts'),
    `import { defineChronicle } from '${join(repoRoot, 'src', 'index.ts')}';
export default defineChronicle({ aggregates: [], migrations: ${migrations} });
`,
  );
};

describe('chronicle migration create <name>', () => {
  let root: string;
  const databaseUrl = (() => {
    const url = new URL(serverUrl);
    url.pathname = `/chronicle_t_${randomBytes(5).toString('hex')}`;
    return url.toString();
  })();
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'chronicle-migration-'));
  });
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await dropDatabase(databaseUrl);
  });

  const chronicle = (dir: string, ...args: string[]) =>
    runToEnd('workers/cli.ts', {
      args: ['--config', join(dir, 'chronicle.config.ts'), ...args],
      env: { DATABASE_URL: databaseUrl },
    });

  it('given a config naming a folder, writes an empty migration there that chronicle migrate then applies', async () => {
    const dir = join(root, 'folder');
    project(dir, "{ folder: './migrations' }");
    mkdirSync(join(dir, 'migrations'));

    const created = await chronicle(dir, 'migration', 'create', 'add_loans');
    expect(created.code, created.stderr).toBe(0);
    const [file, ...others] = readdirSync(join(dir, 'migrations'));
    expect(others).toEqual([]);
    expect(file).toMatch(/^Migration\d{14}_add_loans\.ts$/);
    expect(JSON.parse(created.stdout)).toEqual({ created: join(dir, 'migrations', file as string) });
    const name = (file as string).replace(/\.ts$/, '');
    const text = readFileSync(join(dir, 'migrations', file as string), 'utf8');
    expect(text).toContain("import { Migration } from 'chronicle-runtime'");
    expect(text).toContain(`export class ${name} extends Migration`);

    // the user fills it in; chronicle-runtime resolves to this checkout's source here
    writeFileSync(
      join(dir, 'migrations', file as string),
      text
        .replace("'chronicle-runtime'", `'${join(repoRoot, 'src', 'index.ts')}'`)
        .replace(
          "// this.addSql('create table loans_view (loan_id text primary key, ...)');",
          "this.addSql('create table loans_view (loan_id text primary key)');",
        ),
    );
    const migrated = await chronicle(dir, 'migrate');
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(JSON.parse(migrated.stdout).applied).toContain(name);
  });

  it('given a config that lists its migrations, says there is no folder to write into, exit 1', async () => {
    const dir = join(root, 'list');
    project(dir, '[]');
    const result = await chronicle(dir, 'migration', 'create', 'add_loans');
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('its migrations are a list');
    expect(result.stderr).toContain("migrations: { folder: './migrations' }");
  });

  it('refuses a name that cannot be part of a class name, exit 1', async () => {
    const dir = join(root, 'badName');
    project(dir, "{ folder: './migrations' }");
    mkdirSync(join(dir, 'migrations'));
    const result = await chronicle(dir, 'migration', 'create', 'add-loans');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('migration name "add-loans"');
    expect(readdirSync(join(dir, 'migrations'))).toEqual([]);
  });
});
