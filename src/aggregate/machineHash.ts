import { createHash } from 'node:crypto';
import type { AnyStateMachine } from 'xstate';

/** Functions hash by their source; assign() wrappers by the assigner they hold. */
const replacer = (_key: string, value: unknown): unknown => {
  if (typeof value !== 'function') return value;
  const assignment = (value as { assignment?: unknown }).assignment;
  if (assignment === undefined) return value.toString();
  return typeof assignment === 'function'
    ? `assign:${assignment.toString()}`
    : `assign:${JSON.stringify(assignment, replacer)}`;
};

/**
 * A fingerprint of the machine's definition, guards and assigners. Snapshots record it, so a
 * snapshot folded by another version of the machine is never restored: the stream is replayed.
 */
export const machineHash = (machine: AnyStateMachine): string =>
  createHash('sha256')
    .update(JSON.stringify(machine.config, replacer))
    .update(JSON.stringify(machine.implementations, replacer))
    .digest('hex')
    .slice(0, 32);
