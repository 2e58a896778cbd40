import { deploymentKeyring, type Keyring } from './keyring.js';
import { isSealed, openValue } from './sealedValue.js';
import { dataKeyOf, type StoredDataKeys } from './storedDataKeys.js';

/**
 * An event's data as readers see it: each sealed field opened with its subject's data key, or
 * `redacted` when the subject was forgotten (its key deleted). Data with nothing sealed (`keys`
 * null) is returned as it is. The keyring is asked for only when a key is there to unwrap.
 */
export const openEventData = (
  data: unknown,
  keys: StoredDataKeys | undefined,
  redacted: unknown,
  keyring: () => Keyring = deploymentKeyring,
): unknown => {
  if (keys == null || typeof data !== 'object' || data === null) return data;
  let opened: Record<string, unknown> | undefined;
  for (const [field, value] of Object.entries(data)) {
    if (!isSealed(value)) continue;
    opened ??= { ...data };
    const key = dataKeyOf(keyring, keys, value['chronicle:sealed'].s);
    opened[field] = key ? openValue(key, value) : redacted;
  }
  return opened ?? data;
};
