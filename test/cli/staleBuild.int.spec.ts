import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repoBin = fileURLToPath(new URL('../../bin/', import.meta.url));
const run = promisify(execFile);

/** When the build was made, and a time before and after it. */
const built = new Date('2026-01-01T12:00:00Z');
const before = new Date(built.getTime() - 60_000);
const after = new Date(built.getTime() + 60_000);

/**
 * A package tree in a temp directory, with the repository's bin and a stand-in build: its
 * dist/workers/cli.js prints a line, so a spec sees that the bin still ran it.
 */
const packageTree = (root: string, files: readonly string[]) => {
  for (const name of ['chronicle.js', 'staleBuildWarning.js']) {
    mkdirSync(join(root, 'bin'), { recursive: true });
    copyFileSync(join(repoBin, name), join(root, 'bin', name));
  }
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), '// source\n');
    utimesSync(join(root, file), before, before);
  }
  const cli = join(root, 'dist', 'workers', 'cli.js');
  mkdirSync(dirname(cli), { recursive: true });
  writeFileSync(cli, "console.log('ran the build');\n");
  utimesSync(cli, built, built);
};

const touch = (root: string, file: string) => utimesSync(join(root, file), after, after);

const chronicle = (root: string) => run(process.execPath, [join(root, 'bin', 'chronicle.js')]);

describe('npx chronicle in a checkout whose build is older than its source', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'chronicle-bin-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const checkout = [
    'src/index.ts',
    'src/eventStore/postgres/readEventBatch.ts',
    'workers/cli.ts',
    'otel/index.ts',
  ];

  it('given a build newer than every source file, runs it without a word', async () => {
    packageTree(root, checkout);
    const { stdout, stderr } = await chronicle(root);
    expect(stdout).toBe('ran the build\n');
    expect(stderr).toBe('');
  });

  it('given a source file changed after the build, warns on one stderr line what to run, then runs the build', async () => {
    packageTree(root, checkout);
    touch(root, 'src/eventStore/postgres/readEventBatch.ts');
    const { stdout, stderr } = await chronicle(root);
    expect(stdout).toBe('ran the build\n');
    expect(stderr.split('\n')).toHaveLength(2); // one line and its newline
    expect(stderr).toContain('src/eventStore/postgres/readEventBatch.ts changed after the last build');
    expect(stderr).toContain('npm run build');
    expect(stderr).toContain('npm run chronicle -- ');
  });

  it('a changed file under workers/ counts too; a changed spec (not built) does not', async () => {
    packageTree(root, [...checkout, 'src/aggregate/decide.unit.spec.ts']);
    touch(root, 'src/aggregate/decide.unit.spec.ts');
    expect((await chronicle(root)).stderr).toBe('');
    touch(root, 'workers/cli.ts');
    expect((await chronicle(root)).stderr).toContain('workers/cli.ts changed after the last build');
  });

  it('the runtime migrations count; the sample domain (loaded from source by its config) does not', async () => {
    const sample = ['actors/order/machine.ts', 'migrations/domain/Migration1.ts'];
    packageTree(root, [...checkout, ...sample, 'migrations/runtime/Migration1.ts']);
    for (const file of sample) touch(root, file);
    expect((await chronicle(root)).stderr).toBe('');
    touch(root, 'migrations/runtime/Migration1.ts');
    expect((await chronicle(root)).stderr).toContain(
      'migrations/runtime/Migration1.ts changed after the last build',
    );
  });

  it('a dangling link under src/ (an editor lock file) is passed over', async () => {
    packageTree(root, checkout);
    symlinkSync('nobody@host.1234', join(root, 'src', '.#index.ts'));
    touch(root, 'src/index.ts');
    expect((await chronicle(root)).stderr).toContain('src/index.ts changed after the last build');
  });

  it('when the check cannot be made (src is not a directory), the command still runs, silently', async () => {
    packageTree(root, ['workers/cli.ts']);
    writeFileSync(join(root, 'src'), 'not a directory\n');
    const { stdout, stderr } = await chronicle(root);
    expect(stdout).toBe('ran the build\n');
    expect(stderr).toBe('');
  });

  it('an installed package (no src/) is never checked', async () => {
    packageTree(root, ['workers/cli.ts']);
    touch(root, 'workers/cli.ts');
    const { stdout, stderr } = await chronicle(root);
    expect(stdout).toBe('ran the build\n');
    expect(stderr).toBe('');
  });
});
