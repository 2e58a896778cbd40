import type { Knex } from '@mikro-orm/postgresql';
import { ChronicleError, isChronicleError } from '../errors/index.js';
import { type EventSchemas, personalEventTypes } from '../eventSchemas/index.js';
import { deploymentKeyring, type Keyring } from '../personalData/index.js';
import { checkKeyEncryptionKeys } from './postgres/index.js';

/**
 * What a pod checks at start when its deployment marks personal fields: CHRONICLE_KEK set and well
 * formed, and every listed key the one the stored data keys were wrapped with. Each failure is a
 * CONFIGURATION error whose message is the one line to show. Nothing to check without personal
 * fields.
 */
export const requirePersonalDataKeys = async (
  knex: Knex,
  schemas: EventSchemas,
  keyring: () => Keyring = deploymentKeyring,
): Promise<void> => {
  const types = personalEventTypes(schemas);
  if (types.length === 0) return;
  let ring: Keyring;
  try {
    ring = keyring();
  } catch (error) {
    if (!isChronicleError(error, 'CONFIGURATION')) throw error;
    throw new ChronicleError('CONFIGURATION', `${error.message}; personal fields: ${types.join(', ')}`);
  }
  await checkKeyEncryptionKeys(knex, ring);
};
