import { type Db, query } from './sql.js';

/** A saved what-if run: what was checked and what was found (`summary`, as the CLI prints it). */
export type SavedWhatIfRun = {
  readonly runId: string;
  readonly candidate: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly savedAt: string;
  readonly summary: unknown;
};

type RunRow = {
  run_id: string;
  candidate: string;
  options: Record<string, unknown>;
  saved_at: Date;
  summary: unknown;
};

const toRun = (row: RunRow): SavedWhatIfRun => ({
  runId: row.run_id,
  candidate: row.candidate,
  options: row.options,
  savedAt: new Date(row.saved_at).toISOString(),
  summary: row.summary,
});

/** The saved runs, newest first. */
export const readWhatIfRuns = async (db: Db, limit: number): Promise<SavedWhatIfRun[]> =>
  (
    await query<RunRow>(
      db,
      'select run_id, candidate, options, saved_at, summary from es_what_if_runs order by saved_at desc, run_id desc limit ?',
      [limit],
    )
  ).map(toRun);

/** One saved run, or undefined. */
export const readWhatIfRun = async (db: Db, runId: string): Promise<SavedWhatIfRun | undefined> => {
  const [row] = await query<RunRow>(
    db,
    'select run_id, candidate, options, saved_at, summary from es_what_if_runs where run_id = ?',
    [runId],
  );
  return row ? toRun(row) : undefined;
};

/** A page of a saved run's divergences after `after` (their `seq`, from 1), in the order found. */
export const readWhatIfDivergences = async (
  db: Db,
  runId: string,
  { after, limit }: { readonly after: number; readonly limit: number },
): Promise<{ readonly seq: number; readonly divergence: Record<string, unknown> }[]> =>
  query<{ seq: number; divergence: Record<string, unknown> }>(
    db,
    'select seq, divergence from es_what_if_divergences where run_id = ? and seq > ? order by seq limit ?',
    [runId, after, limit],
  );
