import type { Knex } from '@mikro-orm/postgresql';
import { type Aggregate, createAggregateRegistry } from '../aggregate/index.js';
import { ChronicleError } from '../errors/index.js';
import {
  countSnapshotsByHash,
  type LedgerCommand,
  readLedgerOfStreams,
  readOnlySnapshot,
  readStreamPage,
  readStreamsToFold,
  type StreamRef,
  streamToFoldKey,
} from '../eventStore/index.js';
import type { Divergence, DivergenceKind } from './divergence.js';
import { replayStream } from './replayStream.js';

export type WhatIfOptions = {
  /** The deployment running now: its machine hashes are those of the snapshots in use. */
  readonly current: readonly Aggregate[];
  /** The candidate deployment's aggregates: its machines, decides and event schemas. */
  readonly candidate: readonly Aggregate[];
  /** Only these stream types (default: every aggregate of the candidate). */
  readonly types?: readonly string[];
  /** Only streams appended to at or after this time (each is still replayed from its first event). */
  readonly since?: Date;
  /** At most this many streams. */
  readonly limit?: number;
  /** Streams read per statement (keyset pages). Default 200. */
  readonly batchSize?: number;
  /** A page is cut after the stream that brings its events past this (one stream always fits). Default 50,000. */
  readonly maxEventsPerPage?: number;
  /** Called after each page with the counts so far. */
  readonly onProgress?: (progress: {
    readonly streamsChecked: number;
    readonly streamsDiverging: number;
  }) => void;
};

/** Snapshots the candidate's machine hash would no longer restore, per stream type. */
export type ChangedSnapshots = {
  readonly streamType: string;
  readonly snapshots: number;
  /** Events folded again to rebuild them (the sum of their versions). */
  readonly events: number;
};

export type WhatIfSummary = {
  readonly streamsChecked: number;
  readonly streamsDiverging: number;
  readonly eventsFolded: number;
  readonly commandsChecked: number;
  readonly commandsSame: number;
  readonly payloadNotKept: number;
  readonly commandsNotChecked: number;
  readonly divergences: Partial<Record<DivergenceKind, number>>;
  readonly snapshots: {
    readonly changed: readonly ChangedSnapshots[];
    readonly total: number;
    readonly events: number;
    /** Events per second the candidate's machines folded during this run (null: none folded). */
    readonly foldRatePerSecond: number | null;
    /** How long folding `events` again takes at that rate (null: no rate measured). */
    readonly estimatedRefoldSeconds: number | null;
  };
};

export type WhatIfReport = { readonly summary: WhatIfSummary; readonly divergences: readonly Divergence[] };

const byStream = (commands: readonly LedgerCommand[]) => {
  const grouped = new Map<string, LedgerCommand[]>();
  for (const command of commands) {
    const key = streamToFoldKey(command);
    const list = grouped.get(key);
    if (list) list.push(command);
    else grouped.set(key, [command]);
  }
  return grouped;
};

/**
 * The what-if replay: over the stored history, in one read-only REPEATABLE READ transaction, each
 * stream of the candidate's aggregate types is replayed through the candidate (replayStream) a page
 * of streams at a time; the snapshots whose machine hash it changes are counted and their re-fold
 * timed at the fold rate measured on the way. Nothing is written.
 */
export const runWhatIf = async (knex: Knex, options: WhatIfOptions): Promise<WhatIfReport> => {
  const registry = createAggregateRegistry(options.candidate);
  const types = options.types ?? registry.types;
  const missing = types.find((type) => !registry.find(type));
  if (missing !== undefined)
    throw new ChronicleError('CONFIGURATION', `the candidate has no aggregate "${missing}"`);
  const batchSize = options.batchSize ?? 200;
  const maxEvents = options.maxEventsPerPage ?? 50_000;
  const divergences: Divergence[] = [];
  const counts = {
    streamsChecked: 0,
    streamsDiverging: 0,
    eventsFolded: 0,
    commandsChecked: 0,
    commandsSame: 0,
    payloadNotKept: 0,
    commandsNotChecked: 0,
  };
  let foldMs = 0;

  const snapshotCounts = await readOnlySnapshot(knex, async (trx) => {
    let after: StreamRef | undefined;
    for (;;) {
      const left =
        options.limit === undefined ? batchSize : Math.min(batchSize, options.limit - counts.streamsChecked);
      if (left <= 0) break;
      const page = await readStreamPage(trx, {
        streamTypes: types,
        limit: left,
        ...(after ? { after } : {}),
        ...(options.since ? { since: options.since } : {}),
      });
      if (page.length === 0) break;
      const fetched = page.length;
      // bounded memory: a page holds at most about maxEventsPerPage events, however long its streams
      let events = 0;
      const cut = page.findIndex((stream) => {
        events += stream.version;
        return events > maxEvents;
      });
      if (cut >= 0) page.splice(Math.max(cut, 1));
      const [read, ledger] = await Promise.all([
        readStreamsToFold(trx, registry.schemas, page),
        readLedgerOfStreams(trx, page),
      ]);
      const commandsOf = byStream(ledger);
      for (const stream of page) {
        const key = streamToFoldKey(stream);
        const found = read.get(key);
        const ref = { streamType: stream.streamType, streamId: stream.streamId };
        counts.streamsChecked++;
        if (!found || found.status === 'unreadable') {
          const error = found?.status === 'unreadable' ? found.error : undefined;
          divergences.push({
            ...ref,
            kind: 'event-unreadable',
            message: error instanceof Error ? error.message : String(error),
          });
          counts.streamsDiverging++;
          continue;
        }
        const replay = replayStream(
          registry,
          registry.get(stream.streamType),
          ref,
          found.events,
          commandsOf.get(key) ?? [],
        );
        divergences.push(...replay.divergences);
        if (replay.divergences.length > 0) counts.streamsDiverging++;
        counts.eventsFolded += replay.eventsFolded;
        counts.commandsChecked += replay.commandsChecked;
        counts.commandsSame += replay.commandsSame;
        counts.payloadNotKept += replay.payloadNotKept;
        counts.commandsNotChecked += replay.commandsNotChecked;
        foldMs += replay.foldMs;
      }
      const last = page.at(-1) as StreamRef;
      after = { streamType: last.streamType, streamId: last.streamId };
      options.onProgress?.({
        streamsChecked: counts.streamsChecked,
        streamsDiverging: counts.streamsDiverging,
      });
      // the last page: fewer streams than asked for, all of them replayed
      if (fetched < left && page.length === fetched) break;
    }
    return countSnapshotsByHash(trx, types);
  });

  const currentHash = new Map(options.current.map((aggregate) => [aggregate.type, aggregate.machineHash]));
  const changed: ChangedSnapshots[] = [];
  for (const type of types) {
    const inUse = currentHash.get(type);
    const candidateHash = registry.get(type).machineHash;
    if (inUse === undefined || inUse === candidateHash) continue;
    const rows = snapshotCounts.filter((row) => row.streamType === type && row.machineHash === inUse);
    const snapshots = rows.reduce((sum, row) => sum + row.snapshots, 0);
    if (snapshots > 0)
      changed.push({ streamType: type, snapshots, events: rows.reduce((sum, row) => sum + row.events, 0) });
  }
  const total = changed.reduce((sum, row) => sum + row.snapshots, 0);
  const events = changed.reduce((sum, row) => sum + row.events, 0);
  const foldRatePerSecond =
    counts.eventsFolded > 0 && foldMs > 0 ? Math.round((counts.eventsFolded * 1000) / foldMs) : null;
  const byKind: Partial<Record<DivergenceKind, number>> = {};
  for (const divergence of divergences) byKind[divergence.kind] = (byKind[divergence.kind] ?? 0) + 1;
  return {
    summary: {
      ...counts,
      divergences: byKind,
      snapshots: {
        changed,
        total,
        events,
        foldRatePerSecond,
        estimatedRefoldSeconds:
          foldRatePerSecond === null ? null : Number((events / foldRatePerSecond).toFixed(3)),
      },
    },
    divergences,
  };
};
