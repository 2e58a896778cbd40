import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Files a package cannot ship under their real names (npm leaves .gitignore out of a tarball). */
const shippedAs: Readonly<Record<string, string>> = {
  gitignore: '.gitignore',
  dockerignore: '.dockerignore',
};

/**
 * Copies the template folder `from` into `to`, replacing each `__KEY__` placeholder in every file
 * by `values[KEY]`; returns the paths written, relative to `to`.
 */
export const copyTemplate = (
  from: string,
  to: string,
  values: Readonly<Record<string, string>>,
  under = '',
): string[] => {
  mkdirSync(join(to, under), { recursive: true });
  const written: string[] = [];
  for (const entry of readdirSync(join(from, under), { withFileTypes: true })) {
    const source = join(under, entry.name);
    if (entry.isDirectory()) {
      written.push(...copyTemplate(from, to, values, source));
      continue;
    }
    const target = join(under, shippedAs[entry.name] ?? entry.name);
    const text = readFileSync(join(from, source), 'utf8').replace(
      /__([A-Z_]+)__/g,
      (placeholder, key: string) => values[key] ?? placeholder,
    );
    writeFileSync(join(to, target), text);
    written.push(target);
  }
  return written;
};
