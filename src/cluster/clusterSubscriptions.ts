import type { ProcessManager } from '../processManagers/index.js';
import { processManagerFilter } from '../processManagers/index.js';
import type { Projection } from '../projections/index.js';
import { snapshotOutline } from '../snapshots/index.js';
import type { SubscriptionOutline } from '../subscriptions/index.js';

/** What reads the event stream in leased partitions, by what it is for. */
export type SubscriptionKind = 'projection' | 'process-manager' | 'snapshot' | 'outbox';

export type ClusterSubscription = { readonly kind: SubscriptionKind; readonly outline: SubscriptionOutline };

/**
 * Every leased subscription of a deployment: its projections, process managers, the snapshots
 * subscription over its aggregate types and process managers, and the outboxes (`others`).
 */
export const clusterSubscriptions = (deployment: {
  readonly aggregateTypes: readonly string[];
  readonly projections: readonly Projection[];
  readonly processManagers: readonly ProcessManager[];
  readonly others: readonly SubscriptionOutline[];
}): ClusterSubscription[] => [
  ...deployment.projections.map((projection) => ({
    kind: 'projection' as const,
    outline: {
      name: projection.name,
      partitions: projection.partitions,
      filter: { eventTypes: projection.events },
    },
  })),
  ...deployment.processManagers.map((processManager) => ({
    kind: 'process-manager' as const,
    outline: {
      name: processManager.subscription,
      partitions: processManager.partitions,
      filter: processManagerFilter(processManager),
    },
  })),
  {
    kind: 'snapshot',
    outline: snapshotOutline([
      ...deployment.aggregateTypes,
      ...deployment.processManagers.map((processManager) => processManager.name),
    ]),
  },
  ...deployment.others.map((outline) => ({ kind: 'outbox' as const, outline })),
];
