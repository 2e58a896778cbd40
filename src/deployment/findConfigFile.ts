import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { configFileFromEnv } from '../config/index.js';
import { ChronicleError } from '../errors/index.js';

/** The names a deployment config may have, in the order they are looked for. */
export const CONFIG_FILE_NAMES = [
  'chronicle.config.ts',
  'chronicle.config.mts',
  'chronicle.config.js',
  'chronicle.config.mjs',
] as const;

/** Where the config comes from: `--config`, else CHRONICLE_CONFIG, else the first found from `cwd` upward. */
export type ConfigLookup = {
  readonly explicit?: string | undefined;
  readonly cwd?: string;
  /** The CHRONICLE_CONFIG setting (default: read from the environment). */
  readonly fromEnv?: string | undefined;
};

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** The deployment config's absolute path; a CONFIGURATION error naming where it looked when there is none. */
export const findConfigFile = ({
  explicit,
  cwd = process.cwd(),
  fromEnv = configFileFromEnv(),
}: ConfigLookup = {}): string => {
  const named = explicit?.trim() || fromEnv;
  if (named) {
    const path = resolve(cwd, named);
    if (!isFile(path))
      throw new ChronicleError(
        'CONFIGURATION',
        `${path}: no such config file (from ${explicit ? '--config' : 'CHRONICLE_CONFIG'})`,
      );
    return path;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const found = CONFIG_FILE_NAMES.map((name) => join(dir, name)).find(isFile);
    if (found) return found;
    if (dirname(dir) === dir) break;
  }
  throw new ChronicleError(
    'CONFIGURATION',
    `no chronicle.config.ts (.mts, .js, .mjs) in ${resolve(cwd)} or above it: run "chronicle init", or name one with --config <path> or CHRONICLE_CONFIG`,
  );
};
