import { z } from 'zod';
import { AGGREGATE_TYPE_PATTERN } from '../../aggregate/index.js';
import { AGGREGATE_ID_PATTERN, AGGREGATE_ID_RULE, isValidId } from '../../messages/index.js';

/** As defineAggregate requires. */
export const AggregateType = z
  .string()
  .regex(AGGREGATE_TYPE_PATTERN, 'an aggregate type: a-z, 0-9, "_" or "-"');
/** As checkEnvelope requires. */
export const AggregateId = z.string().regex(AGGREGATE_ID_PATTERN, AGGREGATE_ID_RULE);
export const CommandId = z
  .string()
  .refine(isValidId, '1-128 letters, digits, ".", "_", "~" or "-", not all digits');
export const CommandType = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, 'a command name, e.g. PlaceOrder');
/** A correlation id, as commands carry it. */
export const CorrelationId = z.string().min(1).max(200);
export const ProjectionName = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a projection name');
export const Flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const StreamParams = z.strictObject({ type: AggregateType, id: AggregateId });
/** A stream and one of its versions: time travel. */
export const StreamAtParams = StreamParams.extend({
  version: z.coerce.number().int().min(1).max(2_147_483_647),
});
