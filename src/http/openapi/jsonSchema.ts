import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** The JSON Schema of what a request may contain (zod's input side), without the `$schema` tag. */
export const inputSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};
