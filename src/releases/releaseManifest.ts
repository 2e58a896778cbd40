import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Aggregate } from '../aggregate/index.js';

/** What one aggregate type of a release knows: its commands (with their payload schema's fingerprint) and event versions. */
export type AggregateManifest = {
  /** Command type → fingerprint of its payload schema (its JSON Schema, as input). */
  readonly commands: Readonly<Record<string, string>>;
  /** Event type → the version its events are written in (types left out are at version 1). */
  readonly events: Readonly<Record<string, number>>;
};

/**
 * What a release of the domain knows, as its command pods record it in Redis (ReleaseRegistry):
 * `release` is a fingerprint of the rest, so every pod of one release writes the same entry.
 */
export type ReleaseManifest = {
  readonly release: string;
  readonly aggregates: Readonly<Record<string, AggregateManifest>>;
};

const hash = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/**
 * A payload schema's fingerprint: its shape as JSON Schema (fields, types, optional or not, strict
 * or not). Refinements have no JSON Schema, so two schemas that differ only there look the same.
 */
export const payloadSchemaFingerprint = (schema: z.ZodType): string => {
  try {
    return hash(JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })), 16);
  } catch {
    // a schema JSON Schema cannot render (a cycle): its definition's text stands in
    return hash(
      JSON.stringify(schema.def, (_key, value) => (typeof value === 'function' ? String(value) : value)),
      16,
    );
  }
};

/** The manifest of a release made of `aggregates`. */
export const releaseManifest = (aggregates: readonly Aggregate[]): ReleaseManifest => {
  const known: Record<string, AggregateManifest> = {};
  for (const aggregate of [...aggregates].sort((a, b) => a.type.localeCompare(b.type))) {
    const commands = Object.keys(aggregate.commands)
      .sort()
      .map((type) => [type, payloadSchemaFingerprint(aggregate.commands[type]?.schema ?? z.never())]);
    const events = Object.entries(aggregate.events)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, chain]) => [type, chain.current]);
    known[aggregate.type] = { commands: Object.fromEntries(commands), events: Object.fromEntries(events) };
  }
  return { release: hash(JSON.stringify(known), 12), aggregates: known };
};
