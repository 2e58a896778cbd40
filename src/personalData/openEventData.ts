import { deploymentKeyring, type Keyring } from './keyring.js';
import { openFields, SEALED, sealedFieldsOf } from './sealedValue.js';
import { dataKeyOf, type StoredDataKeys } from './storedDataKeys.js';

/**
 * An event's data as readers see it: its sealed fields opened with the subject's data key, or set
 * to `redacted` when the subject was forgotten (its key deleted). Data with nothing sealed (`keys`
 * null) is returned as it is. The keyring is asked for only when a key is there to unwrap.
 */
export const openEventData = (
  data: unknown,
  keys: StoredDataKeys | undefined,
  redacted: unknown,
  keyring: () => Keyring = deploymentKeyring,
): unknown => {
  const sealed = keys == null ? undefined : sealedFieldsOf(data);
  if (!keys || !sealed) return data;
  const { [SEALED]: _, ...rest } = data as Record<string, unknown>;
  const key = dataKeyOf(keyring, keys, sealed.s);
  if (key) return { ...rest, ...openFields(key, sealed) };
  return { ...rest, ...Object.fromEntries(sealed.f.map((field) => [field, redacted])) };
};
