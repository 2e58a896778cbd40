import { v5 as uuidv5 } from 'uuid';

/** The namespace of every id a process manager derives (uuid v5: the same inputs, the same id). */
const NAMESPACE = '6f0d6c52-3a4b-4c57-9a8e-6e1f7d0b2c11';

/** The id of the n-th command an input made this process manager send. */
export const processCommandId = (processManager: string, inputId: string, position: number): string =>
  uuidv5(`command/${processManager}/${inputId}/${position}`, NAMESPACE);

/** The id of a deadline (and its BullMQ job) scheduled by an input. */
export const processDeadlineId = (
  processManager: string,
  key: string,
  name: string,
  inputId: string,
): string => uuidv5(`deadline/${processManager}/${key}/${name}/${inputId}`, NAMESPACE);

/** The id of the event recording that an instance handled an input: a second append of it fails. */
export const handledInputEventId = (processManager: string, key: string, inputId: string): string =>
  uuidv5(`handled/${processManager}/${key}/${inputId}`, NAMESPACE);
