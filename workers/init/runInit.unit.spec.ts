import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runInit } from './runInit.js';
import { runtimePackage } from './runtimePackage.js';

const runtime = runtimePackage();

/** Every file under `dir`, relative to it. */
const filesIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();

describe('chronicle init [dir] [--force]', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'chronicle-init-'));
    vi.spyOn(process.stdout, 'write').mockReturnValue(true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('given a new directory, writes the service: config, domain, projection, migration, spec, docker files', async () => {
    expect(await runInit(['My Tickets'], runtime, cwd)).toBe(0);
    const dir = join(cwd, 'My Tickets');
    expect(filesIn(dir).filter((file) => !file.startsWith('deploy/'))).toEqual([
      '.dockerignore',
      '.gitignore',
      'Dockerfile',
      'README.md',
      'chronicle.config.ts',
      'docker-compose.yml',
      'migrations/Migration20260101000000_tickets_view.ts',
      'package.json',
      'src/devTraffic.ts',
      'src/ticket/commands.ts',
      'src/ticket/events.ts',
      'src/ticket/index.ts',
      'src/ticket/machine.ts',
      'src/ticket/ticket.spec.ts',
      'src/ticketsView.ts',
      'tsconfig.json',
    ]);
    for (const file of filesIn(dir)) expect(readFileSync(join(dir, file), 'utf8')).not.toMatch(/__[A-Z_]+__/);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/^# my-tickets\n/);
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toContain('image: my-tickets:local');
  });

  it('writes the Kubernetes manifests of every pod kind, with the service as their image', async () => {
    await runInit(['svc'], runtime, cwd);
    const manifests = join(cwd, 'svc', 'deploy', 'kubernetes');
    const files = filesIn(manifests);
    expect(files).toEqual(
      expect.arrayContaining([
        'base/kustomization.yaml',
        'base/command.yaml',
        'base/api.yaml',
        'base/migrate.yaml',
        'overlays/local/kustomization.yaml',
      ]),
    );
    for (const file of ['base/kustomization.yaml', 'overlays/local/kustomization.yaml'])
      expect(readFileSync(join(manifests, file), 'utf8'), file).toMatch(/^\s+newName: svc$/m);
    expect(readFileSync(join(manifests, 'overlays/redis-cluster/kustomization.yaml'), 'utf8')).toMatch(
      /^\s+- name: svc\n\s+newName: registry\.example\.com\/team\/svc$/m,
    );
  });

  it('depends on this very version of chronicle-runtime, its peers at the ranges it accepts, its pinned tools', async () => {
    await runInit(['svc'], runtime, cwd);
    const manifest = JSON.parse(readFileSync(join(cwd, 'svc', 'package.json'), 'utf8'));
    const { version, peerDependencies, devDependencies } = runtime.manifest;
    expect(manifest).toMatchObject({
      name: 'svc',
      type: 'module',
      scripts: { dev: 'chronicle dev', test: 'vitest run', build: 'tsc', migrate: 'chronicle migrate' },
      dependencies: {
        'chronicle-runtime': version,
        xstate: peerDependencies?.xstate,
        zod: peerDependencies?.zod,
      },
      devDependencies: {
        typescript: devDependencies?.typescript,
        vitest: devDependencies?.vitest,
        '@types/node': devDependencies?.['@types/node'],
      },
    });
    expect(peerDependencies?.xstate).toMatch(/^\^5\./);
  });

  it('writes into the working directory when it names none, and it is empty', async () => {
    await runInit([], runtime, cwd);
    expect(filesIn(cwd)).toContain('chronicle.config.ts');
  });

  it('refuses a directory that holds anything, and leaves it as it was; --force writes into it', async () => {
    const dir = join(cwd, 'busy');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    await expect(runInit(['busy'], runtime, cwd)).rejects.toThrow(
      `${dir} is not empty: choose a new directory, or add --force to write into it`,
    );
    expect(filesIn(dir)).toEqual(['notes.txt']);

    expect(await runInit(['busy', '--force'], runtime, cwd)).toBe(0);
    expect(filesIn(dir)).toEqual(
      expect.arrayContaining(['notes.txt', 'chronicle.config.ts', 'package.json']),
    );
  });

  it('refuses a file in the directory’s place and a second directory', async () => {
    writeFileSync(join(cwd, 'taken'), '');
    await expect(runInit(['taken'], runtime, cwd)).rejects.toThrow('is a file, not a directory');
    await expect(runInit(['a', 'b'], runtime, cwd)).rejects.toThrow('init [dir] [--force]');
  });
});
