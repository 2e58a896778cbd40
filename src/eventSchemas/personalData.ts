import { ChronicleError } from '../errors/index.js';

/** The keys of `Data` whose values are strings: a subject's id is one. */
type StringFields<Data> = {
  [Key in keyof Data]-?: Data[Key] extends string ? Key : never;
}[keyof Data] &
  string;

/**
 * An event type's personal data, typed by its current data: which fields hold it and whose it is.
 * @example
 * eventVersions<UserRegistered['data']>().personal({ fields: ['email', 'name'], redacted: '[forgotten]' })
 */
export type PersonalDataOf<Data> = {
  /** The fields stored encrypted (top-level fields of the event's data). */
  readonly fields: readonly [keyof Data & string, ...(keyof Data & string)[]];
  /** The field holding the data subject's id; without one, the subject is the stream's id. */
  readonly subject?: StringFields<Data>;
  /** What every reader sees in those fields once the subject is forgotten: null unless given. */
  readonly redacted?: unknown;
};

/** What the runtime keeps of a declaration. */
export type PersonalData = {
  readonly fields: readonly string[];
  readonly subject?: string;
  readonly redacted: unknown;
};

/** A declaration as kept, or a CONFIGURATION error naming what is wrong with it. */
export const checkPersonalData = (declaration: {
  readonly fields: readonly string[];
  readonly subject?: string;
  readonly redacted?: unknown;
}): PersonalData => {
  const { fields, subject } = declaration;
  const problem =
    fields.length === 0
      ? 'names no field'
      : new Set(fields).size !== fields.length
        ? 'names a field twice'
        : subject !== undefined && fields.includes(subject)
          ? `makes its subject field "${subject}" personal (the subject's id finds its key, so it stays readable)`
          : undefined;
  if (problem) throw new ChronicleError('CONFIGURATION', `personal data ${problem}`);
  return { fields: [...fields], redacted: declaration.redacted ?? null, ...(subject ? { subject } : {}) };
};
