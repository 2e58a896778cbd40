import { z } from 'zod';

// Parameters a reader gives, checked against what PostgreSQL holds: a value it cannot take is the
// reader's mistake (400 naming it), never a SQL error (500).

/** The times a timestamptz parameter round-trips: years 1 to 9999 in UTC, as ISO 8601 writes them. */
const FIRST_TIME = Date.parse('0001-01-01T00:00:00.000Z');
const LAST_TIME = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * A point in time: ISO 8601 date and time with its offset (`Z` or `±hh:mm`), e.g.
 * 2026-11-29T10:00:00Z, from year 1 to 9999 in UTC (outside, a Date's ISO form is one PostgreSQL
 * does not read: year 0000, or +010000).
 */
export const IsoTime = z.iso
  .datetime({ offset: true, abort: true }) // a malformed time is one issue, not two
  .refine(
    (time) => Date.parse(time) >= FIRST_TIME && Date.parse(time) <= LAST_TIME,
    'a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z',
  );
