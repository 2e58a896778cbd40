import { type EventSchemas, personalDataOf } from '../eventSchemas/index.js';

type ResultLike = {
  readonly status: string;
  readonly aggregateType?: string;
  readonly events?: readonly {
    readonly type: string;
    readonly streamType?: string;
    readonly data: unknown;
  }[];
};

/**
 * A command's result without the personal fields of its events (the events keep their other
 * fields): what may be kept outside the event store, e.g. in Redis as a finished job's value. The
 * result itself when it holds none.
 */
export const withoutPersonalData = <Result extends ResultLike>(
  schemas: EventSchemas,
  result: Result,
): Result => {
  if (result.status !== 'accepted' || !result.events || result.aggregateType === undefined) return result;
  const aggregateType = result.aggregateType;
  let stripped = false;
  const events = result.events.map((event) => {
    const personal = personalDataOf(schemas, event.streamType ?? aggregateType, event.type);
    if (!personal || typeof event.data !== 'object' || event.data === null) return event;
    stripped = true;
    const data = Object.fromEntries(
      Object.entries(event.data).filter(([field]) => !personal.fields.includes(field)),
    );
    return { ...event, data };
  });
  return stripped ? { ...result, events } : result;
};
