import type { Knex } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { query } from './sql.js';

/** Saved runs kept: saving a run drops the older ones (their divergences with them). */
export const WHAT_IF_RUNS_KEPT = 20;

/** Divergences written per statement. */
const CHUNK = 500;

/**
 * Saves a what-if run (its summary and every divergence, in order) in one transaction and keeps
 * the newest WHAT_IF_RUNS_KEPT runs; answers the run's id.
 */
export const saveWhatIfRun = async (
  db: Knex,
  run: {
    readonly candidate: string;
    readonly options: Readonly<Record<string, unknown>>;
    readonly summary: unknown;
    readonly divergences: readonly unknown[];
  },
): Promise<string> => {
  const runId = uuidv7();
  await db.transaction(async (tx) => {
    await query(
      tx,
      'insert into es_what_if_runs (run_id, candidate, options, summary) values (?, ?, ?::jsonb, ?::jsonb)',
      [runId, run.candidate, JSON.stringify(run.options), JSON.stringify(run.summary)],
    );
    for (let start = 0; start < run.divergences.length; start += CHUNK) {
      const chunk = run.divergences.slice(start, start + CHUNK);
      await query(
        tx,
        `insert into es_what_if_divergences (run_id, seq, divergence)
         select ?::uuid, ?::int + t.n::int, t.value from jsonb_array_elements(?::jsonb) with ordinality as t(value, n)`,
        [runId, start, JSON.stringify(chunk)],
      );
    }
    await query(
      tx,
      `delete from es_what_if_runs where run_id not in
         (select run_id from es_what_if_runs order by saved_at desc, run_id desc limit ?)`,
      [WHAT_IF_RUNS_KEPT],
    );
  });
  return runId;
};
