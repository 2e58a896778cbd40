import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runToEnd } from '../support/processes.js';

// Configs outside the repository, as a team's own would be; they import the runtime and the
// sample's parts by absolute path (no package is installed in a temporary directory).
const runtime = join(repoRoot, 'src/index.ts');
const sample = join(repoRoot, 'actors/index.ts');
const sampleProjections = join(repoRoot, 'actors/projections/index.ts');
const header = `import { defineChronicle } from '${runtime}';
import { order, orderPayment, payment } from '${sample}';
import { ordersView } from '${sampleProjections}';
`;

const dirs: string[] = [];
const projectWith = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const chronicle = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  runToEnd('workers/cli.ts', { cwd, args, env: { CHRONICLE_CONFIG: '', ...env } });

/** Exit 1 and one stderr line that names `file` and says `what`. */
const refused = async (cwd: string, file: string, what: RegExp, args = ['viz', 'order']) => {
  const result = await chronicle(cwd, args);
  const lines = result.stderr.trim().split('\n');
  expect({ code: result.code, lines: lines.length }, result.stderr).toEqual({ code: 1, lines: 1 });
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(what);
};

describe('a deployment config, as the CLI loads it', () => {
  it('is found in a parent directory and runs that deployment', async () => {
    const dir = projectWith({
      'chronicle.config.ts': `${header}export default defineChronicle({ aggregates: [order] });\n`,
    });
    const nested = mkdtempSync(join(dir, 'src-'));
    const result = await chronicle(nested, ['viz', 'order']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('stateDiagram-v2');
    const unknown = await chronicle(nested, ['viz', 'payment']);
    expect(unknown.code).not.toBe(0);
  });

  it('is taken from --config or CHRONICLE_CONFIG before the working directory', async () => {
    const dir = projectWith({
      'other.config.mts': `${header}export default defineChronicle({ aggregates: [payment] });\n`,
    });
    const empty = projectWith({});
    const byFlag = await chronicle(empty, ['--config', join(dir, 'other.config.mts'), 'viz', 'payment']);
    expect(byFlag.code, byFlag.stderr).toBe(0);
    const byEnv = await chronicle(empty, ['viz', 'payment'], {
      CHRONICLE_CONFIG: join(dir, 'other.config.mts'),
    });
    expect(byEnv.code, byEnv.stderr).toBe(0);
  });

  it('missing: one line saying where it looked, exit 1', async () => {
    const empty = projectWith({});
    await refused(empty, empty, /no chronicle\.config\.ts/);
    await refused(empty, join(empty, 'nope.ts'), /no such config file \(from --config\)/, [
      '--config',
      'nope.ts',
      'viz',
      'order',
    ]);
  });

  it('refuses a default export that is not defineChronicle', async () => {
    const dir = projectWith({ 'chronicle.config.ts': 'export default { aggregates: [] };\n' });
    await refused(dir, join(dir, 'chronicle.config.ts'), /default export must be defineChronicle/);
  });

  it('refuses two aggregates of one type', async () => {
    const dir = projectWith({
      'chronicle.config.ts': `${header}export default defineChronicle({ aggregates: [order, payment, order] });\n`,
    });
    await refused(
      dir,
      join(dir, 'chronicle.config.ts'),
      /two aggregates or process managers have the type "order"/,
    );
  });

  it('refuses a projection whose table no migration creates', async () => {
    const dir = projectWith({
      'chronicle.config.ts': `${header}export default defineChronicle({ aggregates: [order], projections: [ordersView] });\n`,
    });
    await refused(
      dir,
      join(dir, 'chronicle.config.ts'),
      /projection "orders_view" writes table "orders_view", which none/,
    );
  });

  it('refuses a process manager that sends to an aggregate the config lacks', async () => {
    const dir = projectWith({
      'chronicle.config.ts': `${header}export default defineChronicle({ aggregates: [order], processManagers: [orderPayment] });\n`,
    });
    await refused(
      dir,
      join(dir, 'chronicle.config.ts'),
      /process manager "order-payment" sends to aggregate "payment"/,
    );
  });

  it('a config that throws or does not compile is one line, not a stack', async () => {
    const dir = projectWith({
      'chronicle.config.ts': 'export default defineChronicle({ aggregates: [ });\n',
    });
    await refused(dir, join(dir, 'chronicle.config.ts'), /cannot be loaded/);
  });
});
