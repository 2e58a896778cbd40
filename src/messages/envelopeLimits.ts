/** Commands larger than this never reach the queue or the store. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

/** Caller-given ids end up as BullMQ job ids and database keys: no ':' (BullMQ), not all digits. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

export const isValidId = (id: unknown): id is string =>
  typeof id === 'string' && ID_PATTERN.test(id) && !/^\d+$/.test(id);

/** Aggregate ids: letters, digits, `.`, `_`, `~`, `@`, `-`, at most 200. */
export const AGGREGATE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~@-]{0,199}$/;
export const AGGREGATE_ID_RULE = '1-200 letters, digits, ".", "_", "~", "@" or "-"';
