import { ChronicleError } from '../errors/index.js';
import { portSetting, positiveInt } from './settingValues.js';

/** Settings every pod reads, and those of the projection and snapshot pods and of `chronicle viz`. */

export const DEFAULT_METRICS_PORT = 9464;

/** HOST: the interface a pod's servers (the API, the probes and metrics) listen on. Default every one. */
export const hostFromEnv = (env: NodeJS.ProcessEnv = process.env): string => env.HOST?.trim() || '0.0.0.0';

/** METRICS_PORT: /healthz, /readyz and /metrics of a non-API pod (0 = any free port). Default 9464. */
export const metricsPortFromEnv = (env: NodeJS.ProcessEnv = process.env): number =>
  portSetting('METRICS_PORT', env.METRICS_PORT, DEFAULT_METRICS_PORT);

export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

const isLogLevel = (value: string): value is LogLevel => (logLevels as readonly string[]).includes(value);

/** LOG_LEVEL (case-insensitive), else `info`; an unknown level fails loudly rather than logging nothing. */
export const logLevelFromEnv = (env: NodeJS.ProcessEnv = process.env): LogLevel => {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return 'info';
  if (!isLogLevel(raw)) {
    throw new ChronicleError(
      'CONFIGURATION',
      `LOG_LEVEL must be one of ${logLevels.join(', ')}; got "${raw}"`,
    );
  }
  return raw;
};

export const logFormats = ['json', 'pretty'] as const;
export type LogFormat = (typeof logFormats)[number];

/** LOG_FORMAT: `json` (default, for log shippers) or `pretty` (one readable, coloured line each: `chronicle dev`). */
export const logFormatFromEnv = (env: NodeJS.ProcessEnv = process.env): LogFormat => {
  const raw = env.LOG_FORMAT?.trim().toLowerCase();
  if (!raw) return 'json';
  if (raw !== 'json' && raw !== 'pretty') {
    throw new ChronicleError('CONFIGURATION', `LOG_FORMAT must be json or pretty; got "${raw}"`);
  }
  return raw;
};

/** CHRONICLE_PROJECTIONS: the comma-separated projections this pod runs (unset: all of them). */
export const projectionSelectionFromEnv = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  env.CHRONICLE_PROJECTIONS;

/** CHRONICLE_PROJECTION_LAG_MS: how often a projection pod measures its lag. Default 10 s. */
export const projectionLagEveryMsFromEnv = (env: NodeJS.ProcessEnv = process.env): number =>
  positiveInt('CHRONICLE_PROJECTION_LAG_MS', env.CHRONICLE_PROJECTION_LAG_MS, 10_000);

/** CHRONICLE_SNAPSHOT_SWEEP_MS: the snapshot pod's periodic sweep. Default 5 minutes. */
export const snapshotSweepEveryMsFromEnv = (env: NodeJS.ProcessEnv = process.env): number =>
  positiveInt('CHRONICLE_SNAPSHOT_SWEEP_MS', env.CHRONICLE_SNAPSHOT_SWEEP_MS, 300_000);

/**
 * CHRONICLE_SNAPSHOT_HISTORY: snapshots kept per stream, the latest included; writing a new one
 * prunes the oldest past it. Default 2 (the latest and the one before).
 */
export const snapshotHistoryFromEnv = (env: NodeJS.ProcessEnv = process.env): number =>
  positiveInt('CHRONICLE_SNAPSHOT_HISTORY', env.CHRONICLE_SNAPSHOT_HISTORY, 2);

/**
 * CHRONICLE_COMMAND_PAYLOAD_RETENTION_DAYS: how long the command ledger keeps each command's
 * payload (what `chronicle what-if` decides again); the snapshot pod's sweep forgets older ones.
 * Default 30 days.
 */
export const commandPayloadRetentionDaysFromEnv = (env: NodeJS.ProcessEnv = process.env): number =>
  positiveInt('CHRONICLE_COMMAND_PAYLOAD_RETENTION_DAYS', env.CHRONICLE_COMMAND_PAYLOAD_RETENTION_DAYS, 30);

/** CHROMIUM_PATH: the browser `chronicle viz --out` renders SVG with. Default Debian's chromium. */
export const chromiumPathFromEnv = (env: NodeJS.ProcessEnv = process.env): string =>
  env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Colours on a terminal, unless NO_COLOR is set; FORCE_COLOR turns them on anywhere. */
export const wantsColors = (out: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean => {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return out.isTTY === true;
};
