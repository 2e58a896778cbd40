import type { Keyring } from '../../personalData/index.js';
import { type Db, query } from './sql.js';

type DataKeyRow = { subject: string; kek_id: string; wrapped: Buffer };

/**
 * Rewraps every data key wrapped with another key-encryption key than the current one (a rotation:
 * events are not touched, their data keys stay the same), `batch` keys per statement. A key
 * forgotten meanwhile stays deleted: the update only rewrites a row still wrapped as it was read.
 * Answers how many were rewrapped; once done, the retired key can leave CHRONICLE_KEK_RETIRED.
 */
export const rewrapDataKeys = async (db: Db, keyring: Keyring, batch = 500): Promise<number> => {
  const retired = keyring.ids.filter((id) => id !== keyring.currentId);
  await query(
    db,
    `insert into es_key_encryption_keys (kek_id, check_value) values (?, ?) on conflict (kek_id) do nothing`,
    [keyring.currentId, keyring.checkValue(keyring.currentId)],
  );
  let rewrapped = 0;
  for (;;) {
    const rows = await query<DataKeyRow>(
      db,
      'select subject, kek_id, wrapped from es_data_keys where kek_id = any(?::text[]) limit ?',
      [retired, batch],
    );
    if (rows.length === 0) return rewrapped;
    const subjects = rows.map((row) => row.subject);
    const before = rows.map((row) => row.kek_id);
    const after = rows.map((row) =>
      keyring
        .wrap(row.subject, keyring.unwrap(row.subject, { kekId: row.kek_id, wrapped: row.wrapped }))
        .wrapped.toString('base64'),
    );
    const updated = await query(
      db,
      `update es_data_keys k set kek_id = ?, wrapped = decode(r.wrapped, 'base64')
       from unnest(?::text[], ?::text[], ?::text[]) as r(subject, kek_id, wrapped)
       where k.subject = r.subject and k.kek_id = r.kek_id
       returning k.subject`,
      [keyring.currentId, subjects, before, after],
    );
    rewrapped += updated.length;
  }
};
