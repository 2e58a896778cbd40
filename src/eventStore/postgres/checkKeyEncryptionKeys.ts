import { ChronicleError } from '../../errors/index.js';
import type { Keyring } from '../../personalData/index.js';
import { type Db, query } from './sql.js';

type KekRow = { kek_id: string; check_value: Buffer; used: boolean };

/**
 * Stops a deployment that would misread its personal data, before it starts: every key-encryption
 * key it lists must open the check value stored for its id (a wrong key is a CONFIGURATION error
 * naming the id), and every id data keys are wrapped with must be listed. The current key's check
 * value is stored the first time it is seen.
 */
export const checkKeyEncryptionKeys = async (db: Db, keyring: Keyring): Promise<void> => {
  await query(
    db,
    `insert into es_key_encryption_keys (kek_id, check_value) values (?, ?)
     on conflict (kek_id) do nothing`,
    [keyring.currentId, keyring.checkValue(keyring.currentId)],
  );
  const rows = await query<KekRow>(
    db,
    `select k.kek_id, k.check_value, exists (select 1 from es_data_keys d where d.kek_id = k.kek_id) as used
     from es_key_encryption_keys k order by k.kek_id`,
    [],
  );
  for (const { kek_id, check_value, used } of rows) {
    if (keyring.ids.includes(kek_id)) keyring.verifyCheckValue(kek_id, check_value);
    else if (used)
      throw new ChronicleError(
        'CONFIGURATION',
        `data keys are wrapped with key-encryption key "${kek_id}", which neither CHRONICLE_KEK nor CHRONICLE_KEK_RETIRED lists (keep it in CHRONICLE_KEK_RETIRED until \`chronicle keys rotate\` has rewrapped them)`,
      );
  }
};
