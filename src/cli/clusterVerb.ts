import type { Aggregate } from '../aggregate/index.js';
import { createAggregateRegistry } from '../aggregate/index.js';
import { clusterSubscriptions, readClusterView } from '../cluster/index.js';
import { loadConfig } from '../config/index.js';
import type { ProcessManager } from '../processManagers/index.js';
import type { Projection } from '../projections/index.js';
import type { SubscriptionOutline } from '../subscriptions/index.js';
import { EXIT, printJson } from './cliOutput.js';
import { withQueues } from './deadLetterVerbs.js';
import { withOrm } from './withOrm.js';

export const clusterUsage = `  cluster                                   the cluster now, one JSON line per pod, command shard and leased partition
                                            (who works it, its lag; docs/operations.md, "The cluster view")`;

/** `chronicle cluster`: what `GET /v1/cluster` answers, one JSON line per pod, shard and partition (`entry`). */
export const clusterVerbs = (definitions: {
  readonly aggregates: readonly Aggregate[];
  readonly projections: readonly Projection[];
  readonly processManagers?: readonly ProcessManager[];
  /** The outboxes (the NATS outbox). */
  readonly subscriptions?: readonly SubscriptionOutline[];
}): Record<string, (args: string[]) => Promise<number>> => ({
  cluster: async () => {
    const config = loadConfig();
    const registry = createAggregateRegistry(definitions.aggregates);
    const subscriptions = clusterSubscriptions({
      aggregateTypes: registry.types,
      projections: definitions.projections,
      processManagers: definitions.processManagers ?? [],
      others: definitions.subscriptions ?? [],
    });
    const view = await withOrm(config, (orm) =>
      withQueues(config, (queues) =>
        readClusterView({ knex: orm.em.getKnex(), schemas: registry.schemas, queues, subscriptions }),
      ),
    );
    for (const pod of view.pods) printJson({ entry: 'pod', ...pod });
    for (const shard of view.shards) printJson({ entry: 'shard', ...shard });
    for (const partition of view.partitions) printJson({ entry: 'partition', ...partition });
    return EXIT.ok;
  },
});
