import { ChronicleError } from '../errors/index.js';
import type { EventMetadata } from '../messages/index.js';
import { checkPersonalData, type PersonalData, type PersonalDataOf } from './personalData.js';

/** One step of a chain: the stored data of version N (with the event's metadata) in, N+1 out. Pure. */
export type Upcaster<From = unknown, To = unknown> = (data: From, metadata: EventMetadata) => To;

/**
 * The schema versions of one event type, built by `eventVersions`: a chain of upcasters from the
 * oldest version the code still reads to the current one, in which new events are written.
 * `Data` is the current version's data: `defineAggregate` checks it against the machine's events.
 */
export type EventVersions<Data = unknown> = EventChain & {
  /** The next version: a pure function of the current version's data and the event's metadata. */
  readonly upcast: <Next>(step: Upcaster<Data, Next>) => EventVersions<Next>;
  /** The type was stored under `names` before (a rename): such events read as this type. */
  readonly wasNamed: (...names: string[]) => EventVersions<Data>;
  /**
   * Marks fields of the current version as personal data of one subject: they are stored encrypted
   * with that subject's key and read as `redacted` once the subject is forgotten
   * (docs/personal-data.md). Declared after the last `upcast`: it describes the shape written now.
   */
  readonly personal: (declaration: PersonalDataOf<Data>) => EventVersions<Data>;
};

/** What the runtime reads of an EventVersions: its versions, steps and old names. */
export type EventChain = {
  /** The version new events are written in. */
  readonly current: number;
  /** The oldest stored version the chain reads: 1, unless older upcasters were retired. */
  readonly oldest: number;
  /** `steps[i]` takes version `oldest + i` to `oldest + i + 1`. */
  readonly steps: readonly Upcaster[];
  /** Names the event type was stored under before: they are read as this type. */
  readonly previousNames: readonly string[];
  /** The personal fields of the current version and whose they are, when it has any. */
  readonly personalData?: PersonalData;
};

const chain = <Data>(
  oldest: number,
  steps: readonly Upcaster[],
  previousNames: readonly string[],
  personal?: PersonalData,
): EventVersions<Data> => ({
  current: oldest + steps.length,
  oldest,
  steps,
  previousNames,
  ...(personal ? { personalData: personal } : {}),
  upcast: <Next>(step: Upcaster<Data, Next>) => {
    if (personal)
      throw new ChronicleError('CONFIGURATION', 'eventVersions: declare personal after the last upcast');
    return chain<Next>(oldest, [...steps, step as Upcaster], previousNames);
  },
  wasNamed: (...names) => chain<Data>(oldest, steps, [...previousNames, ...names], personal),
  personal: (declaration) =>
    chain<Data>(oldest, steps, previousNames, checkPersonalData(declaration as PersonalData)),
});

/**
 * Starts the version chain of an event type at the shape `First` (version 1, or `from` when the
 * upcasters of older versions were retired: a stored event older than `from` is then an
 * EVENT_SCHEMA error). Each `upcast` adds the next version.
 * @example
 * const OrderPlaced = eventVersions<OrderPlacedV1>()
 *   .upcast((data): OrderPlacedV2 => ({ ...data, currency: 'EUR' }));
 * defineAggregate({ type: 'order', machine, commands, events: { OrderPlaced } });
 */
export const eventVersions = <First>(options: { readonly from?: number } = {}): EventVersions<First> => {
  const from = options.from ?? 1;
  if (!Number.isInteger(from) || from < 1)
    throw new ChronicleError('CONFIGURATION', `eventVersions: from must be a positive integer, not ${from}`);
  return chain<First>(from, [], []);
};
