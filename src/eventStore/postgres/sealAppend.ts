import { type EventSchemas, type PersonalData, personalDataOf } from '../../eventSchemas/index.js';
import { sealEventData, subjectOf } from '../../personalData/index.js';
import type { AppendRequest } from '../eventStore.js';
import type { Db } from './sql.js';
import { subjectKeys } from './subjectKeys.js';

/** An event as stored: its data with personal fields sealed, and the subjects they belong to. */
export type SealedEvent = { readonly data: unknown; readonly subjects: readonly string[] | null };

/**
 * The events of an append as they are stored, when any declares personal data (else undefined, at
 * no cost): each personal field sealed with its subject's data key (made on the subject's first
 * event), or the redaction value for a forgotten subject. The one place personal data is
 * encrypted.
 */
export const sealAppend = (
  db: Db,
  schemas: EventSchemas,
  request: AppendRequest,
): Promise<SealedEvent[]> | undefined => {
  const personal = request.events.map((event) => personalDataOf(schemas, request.streamType, event.type));
  if (personal.every((declaration) => declaration === undefined)) return undefined;
  return sealEvents(db, request, personal);
};

const sealEvents = async (
  db: Db,
  { streamId, events }: AppendRequest,
  personal: readonly (PersonalData | undefined)[],
): Promise<SealedEvent[]> => {
  const subjects = events.map((event, index) => {
    const declaration = personal[index];
    return declaration ? subjectOf(declaration, event.data, streamId) : undefined;
  });
  const keys = await subjectKeys(
    db,
    subjects.filter((subject) => subject !== undefined),
  );
  return events.map((event, index) => {
    const declaration = personal[index];
    const subject = subjects[index];
    if (!declaration || subject === undefined) return { data: event.data, subjects: null };
    const stored = sealEventData(declaration, event.data, subject, keys.get(subject) ?? 'forgotten');
    return { data: stored.data, subjects: stored.sealed ? [subject] : null };
  });
};
