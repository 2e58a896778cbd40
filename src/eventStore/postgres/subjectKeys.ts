import { randomBytes } from 'node:crypto';
import { ChronicleError } from '../../errors/index.js';
import { deploymentKeyring, type Keyring, type SubjectKey } from '../../personalData/index.js';
import { type Db, isTransaction, query } from './sql.js';

/** Subjects' keys kept per pool for appends; a miss costs two statements. */
const KEPT = 10_000;
const kept = new WeakMap<Db, Map<string, SubjectKey>>();

type KeyRow = { subject: string; kek_id: string | null; wrapped: Buffer | null; forgotten: boolean };

/**
 * The data key of each subject, made (and stored wrapped) for a subject that has none yet, or
 * `forgotten` for a forgotten subject: it never gets a key again. Kept in memory per pool, so an
 * append pays for it once per subject; a key another pod forgets meanwhile only makes what is
 * sealed with it unreadable, which is what forgetting asks. Inside a transaction, nothing is kept
 * (the key might roll back with it).
 */
export const subjectKeys = async (
  db: Db,
  subjects: readonly string[],
  keyring: () => Keyring = deploymentKeyring,
): Promise<Map<string, SubjectKey>> => {
  const cache = isTransaction(db) ? new Map<string, SubjectKey>() : (kept.get(db) ?? new Map());
  if (!isTransaction(db)) kept.set(db, cache);
  const found = new Map<string, SubjectKey>();
  const missing = [...new Set(subjects)].filter((subject) => {
    const key = cache.get(subject);
    if (key) found.set(subject, key);
    return !key;
  });
  if (missing.length === 0) return found;
  const ring = keyring();
  const made = missing.map((subject) => ring.wrap(subject, randomBytes(32)).wrapped.toString('base64'));
  await query(
    db,
    `with kek as (
       insert into es_key_encryption_keys (kek_id, check_value) values (?, ?) on conflict (kek_id) do nothing
     )
     insert into es_data_keys (subject, kek_id, wrapped)
     select s.subject, ?, decode(s.wrapped, 'base64') from unnest(?::text[], ?::text[]) as s(subject, wrapped)
     where not exists (select 1 from es_forgotten_subjects f where f.subject = s.subject)
     on conflict (subject) do nothing`,
    [ring.currentId, ring.checkValue(ring.currentId), ring.currentId, missing, made],
  );
  const rows = await query<KeyRow>(
    db,
    `select s.subject, k.kek_id, k.wrapped, f.subject is not null as forgotten
     from unnest(?::text[]) as s(subject)
       left join es_data_keys k on k.subject = s.subject
       left join es_forgotten_subjects f on f.subject = s.subject`,
    [missing],
  );
  for (const { subject, kek_id, wrapped, forgotten } of rows) {
    if (!forgotten && (kek_id === null || wrapped === null))
      throw new ChronicleError('INVARIANT', `the data key of subject ${subject} was neither found nor made`);
    const key: SubjectKey =
      forgotten || kek_id === null || wrapped === null
        ? 'forgotten'
        : ring.unwrap(subject, { kekId: kek_id, wrapped });
    if (cache.size >= KEPT) cache.delete(cache.keys().next().value as string);
    cache.set(subject, key);
    found.set(subject, key);
  }
  return found;
};

/** Drops a forgotten subject's key from this pool's memory. */
export const dropSubjectKey = (db: Db, subject: string): void => {
  kept.get(db)?.set(subject, 'forgotten');
};
