/** Rejections that say the request itself is wrong; every other code is a conflict with the state. */
const UNPROCESSABLE = new Set(['VALIDATION', 'UNKNOWN_AGGREGATE', 'UNKNOWN_COMMAND']);

/**
 * The HTTP status of a rejected command: 422 when the command could never succeed as written
 * (bad payload, unknown aggregate type or command), 409 when it conflicts with the aggregate's
 * state (INVALID_TRANSITION, CONCURRENCY, and the domain's own codes).
 */
export const rejectionStatus = (code: string): 409 | 422 => (UNPROCESSABLE.has(code) ? 422 : 409);
