import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const docs = join(here, '../../docs');

/** Every environment variable a setting reader names: `env.NAME`, `env['NAME']`, or a prefix template. */
const variablesRead = (): string[] => {
  const names = new Set<string>();
  for (const file of readdirSync(here).filter((name) => name.endsWith('.ts') && !name.includes('.spec.'))) {
    const text = readFileSync(join(here, file), 'utf8');
    for (const [, name] of text.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)) names.add(name as string);
    for (const [, prefix] of text.matchAll(/`([A-Z][A-Z0-9_]+_)\$\{/g)) names.add(`${prefix as string}*`);
  }
  return [...names].sort();
};

describe('settings', () => {
  it('every environment variable read in src/config is documented in docs/', () => {
    const text = readdirSync(docs)
      .filter((name) => name.endsWith('.md'))
      .map((name) => readFileSync(join(docs, name), 'utf8'))
      .join('\n');
    const documented = (name: string) =>
      name.endsWith('*') ? text.includes(name.slice(0, -1)) : new RegExp(`\\b${name}\\b`).test(text);
    const read = variablesRead();
    expect(read.length).toBeGreaterThan(20);
    expect(read.filter((name) => !documented(name))).toEqual([]);
  });
});
