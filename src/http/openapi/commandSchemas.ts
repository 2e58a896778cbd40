import type { z } from 'zod';
import type { Aggregate } from '../../aggregate/index.js';
import { inputSchema, type JsonSchema } from './jsonSchema.js';

/**
 * The body of POST /v1/commands as one variant per (aggregate type, command): the envelope with
 * `aggregateType` and `type` fixed and `payload` described by that command's own zod schema, the
 * one the command worker validates with.
 */
export const commandsOpenApiBody = (aggregates: readonly Aggregate[], envelope: z.ZodType): JsonSchema => {
  const base = inputSchema(envelope);
  const properties = (base.properties ?? {}) as Record<string, JsonSchema>;
  const variants = aggregates.flatMap((aggregate) =>
    Object.entries(aggregate.commands).map(([type, command]) => ({
      ...base,
      title: `${aggregate.type}.${type}`,
      properties: {
        ...properties,
        aggregateType: { type: 'string', const: aggregate.type },
        type: { type: 'string', const: type },
        payload: inputSchema(command.schema),
      },
    })),
  );
  return variants.length > 0 ? { oneOf: variants } : base;
};
