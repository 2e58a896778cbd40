import { type SpawnOptions, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, type PodProcess, repoRoot, watchProcess } from '../support/processes.js';
import { dropDatabase, dropQueuePrefix, testQueuePrefix } from '../support/testDatabase.js';

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/chronicle_test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The environment of a user's shell: this run's own (PATH, npm's cache) without what vitest sets
 * for its workers, which would leak into the scaffold's own `vitest run`.
 */
const userEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(VITEST|TEST$|NODE_ENV$|NODE_OPTIONS$|LOG_LEVEL$)/.test(name),
    ),
  );

const run = (command: string, args: readonly string[], options: SpawnOptions = {}) =>
  finished(
    spawn(command, args, {
      ...options,
      env: { ...userEnv(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );

/** The exit code, with the output attached when it is not the expected one. */
const expectExit = (result: { code: number | null; stdout: string; stderr: string }, code: number) =>
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(code);

// the scaffold's dependencies come from the registry: without it this spec cannot run at all
const registryReachable =
  (await run('npm', ['ping'], { cwd: tmpdir() }).catch(() => ({ code: 1 }))).code === 0;
if (!registryReachable)
  console.warn('packedPackage.e2e: skipped, the package registry is unreachable (npm ping failed)');

describe.runIf(registryReachable)(
  'the packed package, installed outside the repository as a new user does',
  () => {
    const root = mkdtempSync(join(tmpdir(), 'chronicle-packed-'));
    const home = join(root, 'home');
    const svc = join(home, 'svc');
    const databaseUrl = (() => {
      const url = new URL(serverUrl);
      url.pathname = `/chronicle_t_${randomBytes(5).toString('hex')}`;
      return url.toString();
    })();
    const queuePrefix = testQueuePrefix();
    let tarball: string;
    let entries: string[];
    let pod: PodProcess | undefined;

    /** The installed `chronicle`, run as `npx chronicle` runs it (node on the package's bin). */
    const chronicle = (cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
      run(process.execPath, [join(cwd, 'node_modules', '.bin', 'chronicle'), ...args], { cwd, env });
    const services = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, CHRONICLE_QUEUE_PREFIX: queuePrefix };

    beforeAll(async () => {
      const packed = join(root, 'pack');
      mkdirSync(packed, { recursive: true });
      // npm pack runs the prepare script: a fresh build of dist/
      expectExit(await run('npm', ['pack', '--pack-destination', packed], { cwd: repoRoot }), 0);
      const [file] = readdirSync(packed).filter((name) => name.endsWith('.tgz'));
      tarball = join(packed, file as string);
      entries = (await run('tar', ['-tzf', tarball])).stdout.split('\n').filter(Boolean);

      mkdirSync(home, { recursive: true });
      writeFileSync(join(home, 'package.json'), '{ "name": "home", "private": true }\n');
      expectExit(await run('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: home }), 0);
    }, 900_000);

    afterAll(async () => {
      await pod?.kill('SIGKILL');
      await dropDatabase(databaseUrl);
      await dropQueuePrefix(redisUrl, queuePrefix);
      rmSync(root, { recursive: true, force: true });
    }, 300_000); // two installed trees to delete on a busy disk

    it('holds what the CLI, the pods and the UI run on, and nothing of the sample domain', () => {
      expect(entries).toEqual(
        expect.arrayContaining([
          'package/bin/chronicle.js',
          'package/dist/workers/cli.js',
          'package/dist/src/index.js',
          'package/dist/src/testing/index.d.ts',
          'package/dist/src/http/ui/index.html',
          'package/dist/migrations/runtime/index.js',
          'package/templates/service/chronicle.config.ts',
          'package/templates/service/gitignore',
        ]),
      );
      const sample = entries.filter((entry) =>
        /^package\/(actors|src|migrations|dist\/actors|dist\/migrations\/domain|chronicle\.config)/.test(
          entry,
        ),
      );
      expect(sample).toEqual([]);
      // the template's own spec is the scaffold's, not one of the runtime's
      const specs = entries.filter(
        (entry) => /\.spec\.[jt]s$/.test(entry) && !entry.startsWith('package/templates/'),
      );
      expect(specs).toEqual([]);
    });

    it('chronicle init svc scaffolds a service, and refuses to write into it again', async () => {
      expectExit(await chronicle(home, ['init', 'svc']), 0);
      const again = await chronicle(home, ['init', 'svc']);
      expectExit(again, 1);
      expect(again.stderr.trim().split('\n')).toEqual([
        `chronicle: ${svc} is not empty: choose a new directory, or add --force to write into it`,
      ]);
      const manifest = JSON.parse(readFileSync(join(svc, 'package.json'), 'utf8'));
      expect(manifest.dependencies['chronicle-runtime']).toBe(
        JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version,
      );
    }, 600_000);

    it('in the service: npm install, then its own npm test and type check pass', async () => {
      // the version init wrote is not published: install the same package from its tarball
      const path = join(svc, 'package.json');
      const manifest = JSON.parse(readFileSync(path, 'utf8'));
      manifest.dependencies['chronicle-runtime'] = `file:${tarball}`;
      writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
      expectExit(await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: svc }), 0);

      const test = await run('npm', ['test'], { cwd: svc });
      expectExit(test, 0);
      expect(stripVTControlCharacters(test.stdout)).toMatch(/Tests\s+\d+ passed/);
      expectExit(await run('npm', ['run', 'build'], { cwd: svc }), 0);
    }, 900_000);

    it('chronicle migrate applies the runtime schema, then the service migration', async () => {
      const migrated = await chronicle(svc, ['migrate'], services);
      expectExit(migrated, 0);
      expect(JSON.parse(migrated.stdout)).toMatchObject({
        created: true,
        applied: expect.arrayContaining([
          'Migration20261123000001EventStore',
          'Migration20260101000000_tickets_view',
        ]),
      });
    }, 300_000);

    it("a command pod runs the service's ticket: send --wait is accepted, a rule's rejection comes back", async () => {
      pod = watchProcess(
        spawn(process.execPath, [join(svc, 'node_modules', '.bin', 'chronicle'), 'worker', 'command'], {
          cwd: svc,
          env: { ...userEnv(), ...services, METRICS_PORT: '0', LOG_LEVEL: 'info' },
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
        'chronicle worker command',
      );
      await pod.waitFor(/command worker started/, 180_000);

      const send = (type: string, payload: object) =>
        chronicle(
          svc,
          ['send', 'ticket', 't-1', type, '--payload', JSON.stringify(payload), '--wait'],
          services,
        );
      const opened = await send('OpenTicket', { title: 'Printer on fire', customer: 'initech' });
      expectExit(opened, 0);
      expect(JSON.parse(opened.stdout)).toMatchObject({ status: 'accepted', version: 1 });
      const early = await send('ResolveTicket', { resolution: 'extinguished' });
      expectExit(early, 2);
      expect(JSON.parse(early.stdout)).toMatchObject({ status: 'rejected', code: 'UNASSIGNED' });

      expect(await pod.kill('SIGTERM')).toEqual({ code: 0, signal: null });
      pod = undefined;
    }, 600_000);
  },
);
