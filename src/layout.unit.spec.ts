import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The rules of docs/architecture.md ("Where code may reach"), checked on the source itself.
const src = dirname(fileURLToPath(import.meta.url));
const root = resolve(src, '..');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.includes('.spec.') ? [path] : [];
  });

const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map(
    ([, specifier]) => specifier as string,
  );

const files = sources(src);
const folderOf = (file: string) => relative(src, file).split('/')[0] as string;

describe('the runtime library (src/)', () => {
  it('reaches outside src/ only for the runtime migrations and libraries, never the SDK', () => {
    const outside = files.flatMap((file) =>
      importsOf(file)
        .filter((specifier) =>
          specifier.startsWith('.')
            ? !resolve(dirname(file), specifier).startsWith(src) &&
              !resolve(dirname(file), specifier).startsWith(join(root, 'migrations/runtime'))
            : specifier.startsWith('@opentelemetry/') && specifier !== '@opentelemetry/api',
        )
        .map((specifier) => `${relative(root, file)} -> ${specifier}`),
    );
    expect(outside).toEqual([]);
  });

  it('has no import cycle between its folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of files) {
      for (const specifier of importsOf(file)) {
        const target = resolve(dirname(file), specifier);
        if (!specifier.startsWith('.') || !target.startsWith(src)) continue;
        const [from, to] = [folderOf(file), folderOf(target)];
        if (from !== to && !to.endsWith('.js')) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      [...(edges.get(from) ?? [])].some(
        (next) => next === to || (!seen.has(next) && seen.add(next) && reaches(next, to, seen)),
      );
    const cycles = [...edges].flatMap(([from, targets]) =>
      [...targets].filter((to) => reaches(to, from)).map((to) => `${from} -> ${to}`),
    );
    expect(cycles).toEqual([]);
  });

  it("states SQL on the runtime's tables only in the event store's PostgreSQL adapter", () => {
    const adapter = join(src, 'eventStore/postgres');
    const statement = /\b(?:from|into|update|join|table)\s+es_\w+/i;
    const elsewhere = files.filter(
      (file) => !file.startsWith(adapter) && statement.test(readFileSync(file, 'utf8')),
    );
    expect(elsewhere.map((file) => relative(root, file))).toEqual([]);
  });

  it('keeps its internals out of the public API: the front door lists what users may rely on', async () => {
    const api = await import('./index.js');
    const internals = [
      'lockCheckpoint',
      'heartbeat',
      'sleep',
      'usage',
      'readEventBatch',
      'query',
      'hydrateActor',
      'runCli',
    ];
    for (const internal of internals) expect(Object.hasOwn(api, internal), internal).toBe(false);
    expect(api.defineAggregate).toBeTypeOf('function');
  }, 60_000); // loads the whole library

  it('reads the environment only in src/config, where every setting is parsed and checked', () => {
    const config = join(src, 'config');
    const readers = files.filter(
      (file) => !file.startsWith(config) && /process\.env\b/.test(readFileSync(file, 'utf8')),
    );
    expect(readers.map((file) => relative(root, file))).toEqual([]);
  });
});

describe('the sample domain (actors/)', () => {
  it('reads no environment: its settings reach it through chronicle.config.ts', () => {
    const readers = sources(join(root, 'actors')).filter((file) =>
      /process\.env\b/.test(readFileSync(file, 'utf8')),
    );
    expect(readers.map((file) => relative(root, file))).toEqual([]);
  });
});

describe('the package (what npm pack ships: src/, workers/, otel/, migrations/runtime/)', () => {
  it('imports nothing of the sample domain: actors/, migrations/domain/ and the root config stay out of the tarball', () => {
    const shipped = ['src', 'workers', 'otel', 'migrations/runtime'].flatMap((dir) =>
      sources(join(root, dir)),
    );
    const sample = [join(root, 'actors'), join(root, 'migrations/domain'), join(root, 'migrations/index.ts')];
    const reaching = shipped.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.startsWith('.'))
        .filter((specifier) => {
          const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
          return (
            sample.some((path) => target.startsWith(path)) || target === join(root, 'chronicle.config.ts')
          );
        })
        .map((specifier) => `${relative(root, file)} -> ${specifier}`),
    );
    expect(reaching).toEqual([]);
  });
});
