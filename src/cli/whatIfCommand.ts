import { parseArgs } from 'node:util';
import type { Aggregate } from '../aggregate/index.js';
import type { ChronicleConfig } from '../config/index.js';
import { loadDeployment } from '../deployment/index.js';
import { saveWhatIfRun } from '../eventStore/index.js';
import { IsoTime } from '../queries/index.js';
import { runWhatIf, type WhatIfSummary } from '../whatIf/index.js';
import { CliUsageError, EXIT, printJson } from './cliOutput.js';
import { withOrm } from './withOrm.js';

export const whatIfUsage =
  'what-if --candidate <config> [--type T] [--since <ISO time>] [--limit N] [--save]';

/** Exit code when the candidate diverges from the stored history: a CI gate fails on it. */
export const WHAT_IF_DIVERGED = 3;

const summaryLine = (summary: WhatIfSummary): string => {
  const kinds = Object.entries(summary.divergences).map(([kind, count]) => `${kind} ${count}`);
  const { snapshots } = summary;
  return [
    `what-if: ${summary.streamsChecked} streams checked, ${summary.streamsDiverging} diverging${kinds.length ? ` (${kinds.join(', ')})` : ''}`,
    `${summary.commandsChecked} commands decided again, ${summary.commandsSame} the same, ${summary.payloadNotKept} skipped (payload not kept)`,
    `${snapshots.total} snapshots the candidate's machines no longer restore` +
      (snapshots.total > 0 && snapshots.estimatedRefoldSeconds !== null
        ? ` (${snapshots.events} events, about ${snapshots.estimatedRefoldSeconds} s to fold again at ${snapshots.foldRatePerSecond} events/s)`
        : ''),
  ].join('\n');
};

/**
 * `chronicle what-if --candidate <config>`: replays the stored history through the candidate
 * deployment (docs/what-if.md). Stdout: the summary as one JSON line, then one JSON line per
 * divergence; on a terminal, a progress line and the summary in words on stderr. `--save` also
 * stores the run (the summary line then names it: `savedAs`). Exit 0 when nothing diverges, 3 when
 * something does, 1 on error.
 */
export const whatIfCommand = async (
  config: ChronicleConfig,
  current: readonly Aggregate[],
  args: readonly string[],
): Promise<number> => {
  const { values } = parseArgs({
    args: [...args],
    options: {
      candidate: { type: 'string' },
      type: { type: 'string', multiple: true },
      since: { type: 'string' },
      limit: { type: 'string' },
      save: { type: 'boolean', default: false },
    },
  });
  if (!values.candidate) throw new CliUsageError(whatIfUsage);
  if (values.since !== undefined && !IsoTime.safeParse(values.since).success)
    throw new CliUsageError(
      `--since must be an ISO time with an offset (2026-11-29T10:00:00Z), got "${values.since}"`,
    );
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw new CliUsageError(`--limit must be a positive integer, got "${values.limit}"`);
  const candidate = await loadDeployment({ explicit: values.candidate });
  const tty = process.stderr.isTTY === true;
  const report = await withOrm(config, (orm) =>
    runWhatIf(orm.em.getKnex(), {
      current,
      candidate: candidate.chronicle.aggregates,
      ...(values.type ? { types: values.type } : {}),
      ...(values.since ? { since: new Date(values.since) } : {}),
      ...(limit ? { limit } : {}),
      ...(tty
        ? {
            onProgress: ({ streamsChecked, streamsDiverging }) =>
              process.stderr.write(
                `\rwhat-if: ${streamsChecked} streams checked, ${streamsDiverging} diverging`,
              ),
          }
        : {}),
    }),
  );
  if (tty) process.stderr.write(`\r\x1b[K${summaryLine(report.summary)}\n`);
  // --save: the run, for the admin routes and the UI (GET /v1/what-if/runs), on its own write
  const savedAs = values.save
    ? await withOrm(config, (orm) =>
        saveWhatIfRun(orm.em.getKnex(), {
          candidate: candidate.file,
          options: {
            ...(values.type ? { types: values.type } : {}),
            ...(values.since ? { since: values.since } : {}),
            ...(limit ? { limit } : {}),
          },
          summary: report.summary,
          divergences: report.divergences,
        }),
      )
    : undefined;
  printJson({ summary: report.summary, ...(savedAs ? { savedAs } : {}) });
  for (const divergence of report.divergences) printJson(divergence);
  return report.divergences.length > 0 ? WHAT_IF_DIVERGED : EXIT.ok;
};
