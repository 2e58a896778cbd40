import { type EventSchemas, storedTypeNames } from '../../eventSchemas/index.js';
import type { EventFilter } from '../eventFilter.js';

/**
 * The stored type names a filter reads, and the filter that reads them: an event type is also
 * looked for under its old names (storedTypeNames), so a batch read and a lag count agree.
 */
export const storedFilterOf = (schemas: EventSchemas, filter: EventFilter) => {
  const stored = filter.eventTypes && storedTypeNames(schemas, filter.eventTypes);
  return { stored, filter: stored ? { ...filter, eventTypes: stored } : filter };
};
