import { ChronicleError } from '../errors/index.js';

/**
 * How every setting read from the environment is parsed: unset or empty keeps the fallback, a
 * malformed value is a CONFIGURATION error naming the variable (the pod must not start on it).
 */
export const intSetting = <Fallback = number>(
  name: string,
  raw: string | undefined,
  fallback: Fallback,
  min = 1,
): number | Fallback => {
  const trimmed = raw?.trim();
  if (!trimmed) return fallback;
  const value = Number(trimmed);
  if (!Number.isInteger(value) || value < min) {
    throw new ChronicleError(
      'CONFIGURATION',
      min === 1
        ? `${name} must be a positive integer, got "${raw}"`
        : `${name} must be an integer >= ${min}, got "${raw}"`,
    );
  }
  return value;
};

/** An environment value that must be a positive integer; unset or empty keeps the fallback. */
export const positiveInt = <Fallback = number>(
  name: string,
  raw: string | undefined,
  fallback: Fallback,
): number | Fallback => intSetting(name, raw, fallback, 1);

/** A TCP port (0 = any free port). */
export const portSetting = (name: string, raw: string | undefined, fallback: number): number => {
  const port = intSetting(name, raw, fallback, 0);
  if (port > 65_535) {
    throw new ChronicleError(
      'CONFIGURATION',
      `${name} must be a port number (0 for any free port), got "${raw}"`,
    );
  }
  return port;
};

/** An environment value that must be `true` or `false`; unset or empty keeps the fallback. */
export const booleanSetting = (name: string, raw: string | undefined, fallback: boolean): boolean => {
  const trimmed = raw?.trim().toLowerCase();
  if (!trimmed) return fallback;
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  throw new ChronicleError('CONFIGURATION', `${name} must be true or false, got "${raw}"`);
};
