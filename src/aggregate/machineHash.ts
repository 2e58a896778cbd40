import { createHash } from 'node:crypto';
import type { AnyStateMachine } from 'xstate';
import { type EventSchemaMap, eventSchemaFingerprint } from '../eventSchemas/index.js';

/**
 * Functions hash by their source; assign() wrappers by the assigner they hold; higher-order guards
 * (stateIn, not, and, or), whose wrappers all share one source, by their arguments.
 */
const replacer = (_key: string, value: unknown): unknown => {
  if (typeof value !== 'function') return value;
  const { assignment, stateValue, guards } = value as {
    assignment?: unknown;
    stateValue?: unknown;
    guards?: unknown;
  };
  if (stateValue !== undefined || guards !== undefined) return { guard: value.name, stateValue, guards };
  if (assignment === undefined) return value.toString();
  return typeof assignment === 'function'
    ? `assign:${assignment.toString()}`
    : `assign:${JSON.stringify(assignment, replacer)}`;
};

/**
 * A fingerprint of the machine's definition, guards and assigners, and of the event schemas
 * (versions, upcasters, old names) its events are read through. Snapshots record it, so a snapshot
 * folded by another version of the machine, or from events of another shape, is never restored:
 * the stream is replayed.
 */
export const machineHash = (
  machine: AnyStateMachine,
  version: string | number = '',
  events: EventSchemaMap = {},
): string => {
  const hash = createHash('sha256')
    .update(String(version))
    .update(JSON.stringify(machine.config, replacer))
    .update(JSON.stringify(machine.implementations, replacer));
  // without schemas the hash stays what it was before schemas existed: those snapshots stay usable
  if (Object.keys(events).length > 0) hash.update(eventSchemaFingerprint(events));
  return hash.digest('hex').slice(0, 32);
};
