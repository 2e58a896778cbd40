import type { MigrationObject } from '@mikro-orm/core';
import { Migration2026112900004NCommandCausation } from './Migration2026112900004NCommandCausation.js';
import { Migration20261123000001EventStore } from './Migration20261123000001EventStore.js';
import { Migration20261123000002Subscriptions } from './Migration20261123000002Subscriptions.js';
import { Migration20261129054000EventsReaderGuard } from './Migration20261129054000EventsReaderGuard.js';
import { Migration20261129060000SubscriptionDeadLetters } from './Migration20261129060000SubscriptionDeadLetters.js';
import { Migration20261207000001ReadIndexes } from './Migration20261207000001ReadIndexes.js';
import { Migration20261207000002StreamCounts } from './Migration20261207000002StreamCounts.js';
import { Migration20261207000003SnapshotDue } from './Migration20261207000003SnapshotDue.js';
import { Migration20261207150000CommandPayloads } from './Migration20261207150000CommandPayloads.js';
import { Migration20261207160000Pods } from './Migration20261207160000Pods.js';
import { Migration20261207160001RecentStreams } from './Migration20261207160001RecentStreams.js';
import { Migration20261207160002WhatIfRuns } from './Migration20261207160002WhatIfRuns.js';
import { Migration20261207160003CheckpointWaiting } from './Migration20261207160003CheckpointWaiting.js';
import { Migration20261207160004EventTypeCounts } from './Migration20261207160004EventTypeCounts.js';
import { Migration20261207160005SnapshotHistory } from './Migration20261207160005SnapshotHistory.js';
import { Migration20261207160006PersonalData } from './Migration20261207160006PersonalData.js';
import { Migration20261207200000ListenSessions } from './Migration20261207200000ListenSessions.js';

/**
 * The runtime's own schema (es_* tables), in order: every deployment gets exactly these. Applied
 * before any domain migration. Append new ones here (docs/architecture.md, "Schema").
 */
export const runtimeMigrations: readonly MigrationObject[] = [
  { name: 'Migration20261123000001EventStore', class: Migration20261123000001EventStore },
  { name: 'Migration20261123000002Subscriptions', class: Migration20261123000002Subscriptions },
  { name: 'Migration2026112900004NCommandCausation', class: Migration2026112900004NCommandCausation },
  { name: 'Migration20261129054000EventsReaderGuard', class: Migration20261129054000EventsReaderGuard },
  {
    name: 'Migration20261129060000SubscriptionDeadLetters',
    class: Migration20261129060000SubscriptionDeadLetters,
  },
  { name: 'Migration20261207000001ReadIndexes', class: Migration20261207000001ReadIndexes },
  { name: 'Migration20261207000002StreamCounts', class: Migration20261207000002StreamCounts },
  { name: 'Migration20261207000003SnapshotDue', class: Migration20261207000003SnapshotDue },
  { name: 'Migration20261207150000CommandPayloads', class: Migration20261207150000CommandPayloads },
  { name: 'Migration20261207160000Pods', class: Migration20261207160000Pods },
  { name: 'Migration20261207160001RecentStreams', class: Migration20261207160001RecentStreams },
  { name: 'Migration20261207160002WhatIfRuns', class: Migration20261207160002WhatIfRuns },
  { name: 'Migration20261207160003CheckpointWaiting', class: Migration20261207160003CheckpointWaiting },
  { name: 'Migration20261207160004EventTypeCounts', class: Migration20261207160004EventTypeCounts },
  { name: 'Migration20261207160005SnapshotHistory', class: Migration20261207160005SnapshotHistory },
  { name: 'Migration20261207160006PersonalData', class: Migration20261207160006PersonalData },
  { name: 'Migration20261207200000ListenSessions', class: Migration20261207200000ListenSessions },
];
