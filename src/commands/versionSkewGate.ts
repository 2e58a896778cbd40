import { setTimeout as sleep } from 'node:timers/promises';
import { type AggregateRegistry, precheckCommand } from '../aggregate/index.js';
import { ChronicleError } from '../errors/index.js';
import type { EventSchemaError } from '../eventSchemas/index.js';
import type { CommandEnvelope } from '../messages/index.js';
import { type ReleaseRegistry, releasesReading, versionSkewOf } from '../releases/index.js';
import type { RedisConnection } from '../services/index.js';

/** How long a pod holds a job it leaves before putting it back: the pods that can take it get the next turn. */
const LEAVE_PAUSE_MS = 250;

/** Why a command is left: which releases can take it, and what this one lacks. */
export type LeaveReason = { readonly releases: readonly string[]; readonly why: string };

/**
 * What a command pod does with a command only another running release can take: it leaves it, at
 * the head of its shard queue, for a bounded time counted from the first time any pod left it.
 */
export type VersionSkewGate = {
  /** Why this release should leave the command to another, or undefined when its answer stands. */
  readonly leaveBecause: (envelope: CommandEnvelope) => Promise<LeaveReason | undefined>;
  /**
   * A command whose aggregate has an event this release cannot read yet is always left (a retry,
   * never a dead letter at once): the releases running now that read it, if any yet.
   */
  readonly leaveUnreadable: (error: EventSchemaError) => Promise<LeaveReason>;
  /** `left`: hold briefly and put it back; `expired`: the bounded wait is over (a VERSION_SKEW error). */
  readonly leave: (
    envelope: CommandEnvelope,
    reason: LeaveReason,
    signal?: AbortSignal,
  ) => Promise<{ readonly status: 'left' } | { readonly status: 'expired'; readonly error: ChronicleError }>;
};

export type VersionSkewGateOptions = {
  readonly aggregates: AggregateRegistry;
  readonly releases: ReleaseRegistry;
  readonly redis: RedisConnection;
  readonly prefix: string;
  readonly waitMs: number;
};

export const createVersionSkewGate = ({
  aggregates,
  releases,
  redis,
  prefix,
  waitMs,
}: VersionSkewGateOptions): VersionSkewGate => {
  const mine = releases.manifest;
  const firstLeft = async (key: string): Promise<number> => {
    await redis.set(key, String(Date.now()), 'PX', waitMs + 600_000, 'NX');
    return Number((await redis.get(key)) ?? Date.now());
  };
  return {
    leaveBecause: async (envelope) => {
      const known = precheckCommand(aggregates, envelope);
      if (known.status !== 'rejected') return undefined;
      const verdict = versionSkewOf(known.code, envelope, mine, await releases.live());
      if (verdict.status === 'own') return undefined;
      return { releases: verdict.releases, why: `${known.code}: ${known.message}` };
    },
    leaveUnreadable: async (error) => {
      // who reads it only names them: the command is left whether or not Redis answers
      const live = await releases.live().catch(() => []);
      const readers = releasesReading(live, error).filter((r) => r !== mine.release);
      return { releases: readers, why: error.message };
    },
    leave: async (envelope, reason, signal) => {
      // the first pod to leave it starts the clock; every later one reads it
      const key = `${prefix}:skew:${envelope.commandId}`;
      const since = await firstLeft(key).catch(() => Date.now()); // unknown: leave it, never refuse it
      if (Date.now() - since >= waitMs) {
        // a resend (once the release runs) gets a wait of its own
        await redis.del(key);
        const others =
          reason.releases.length > 0
            ? `release ${reason.releases.join(', ')} did not take it`
            : 'no running release can take it';
        const message = `release ${mine.release} cannot take it (${reason.why}) and ${others} within ${waitMs} ms`;
        return { status: 'expired', error: new ChronicleError('VERSION_SKEW', message) };
      }
      await sleep(LEAVE_PAUSE_MS, undefined, signal ? { signal } : {}).catch(() => undefined);
      return { status: 'left' };
    },
  };
};
