import type { Aggregate } from '../aggregate/index.js';
import { loadConfig } from '../config/index.js';
import type { ProcessManager } from '../processManagers/index.js';
import type { Projection } from '../projections/index.js';
import type { SubscriptionOutline } from '../subscriptions/index.js';
import { CliUsageError, EXIT, printError, printJson } from './cliOutput.js';
import {
  type ProjectionCliContext,
  projectionsRebuild,
  projectionsRetry,
  projectionsStatus,
  takeSnapshot,
} from './projectionCommands.js';
import { withOrm } from './withOrm.js';

export const projectionUsage = `  projections status                        one JSON line per projection (and outbox) partition (checkpoint, head, lag, owner, state)
  projections rebuild <name>                replay into shadow tables and swap them in (the live model serves meanwhile)
  projections retry <name>                  resume a projection's (or the outbox's) stopped partitions
  snapshot <type> <id>                      take a snapshot of one stream (aggregate, or process manager and key) now`;

const withContext = (
  definitions: Omit<ProjectionCliContext, 'orm'>,
  fn: (context: ProjectionCliContext) => Promise<number>,
) => withOrm(loadConfig(), (orm) => fn({ ...definitions, orm }));

/** Prints a tagged result; an `unknown` name is a rejection (exit 2) with the known names. */
const answer = (result: { status: string; name?: string; known?: readonly string[] }): number => {
  if (result.status === 'unknown') {
    printError(`unknown name "${result.name}"; known: ${result.known?.join(', ')}`);
    return EXIT.rejected;
  }
  printJson(result);
  return result.status === 'failed' ? EXIT.error : EXIT.ok;
};

/** The `projections` and `snapshot` verbs, for `runCli`'s `verbs`. */
export const projectionVerbs = (definitions: {
  readonly projections: readonly Projection[];
  readonly aggregates: readonly Aggregate[];
  /** `snapshot <name> <key>` snapshots their instances. */
  readonly processManagers?: readonly ProcessManager[];
  /** Other subscriptions to list and retry with the projections (the NATS outbox). */
  readonly subscriptions?: readonly SubscriptionOutline[];
}): Record<string, (args: string[]) => Promise<number>> => ({
  projections: async ([action, name]) => {
    if (action === 'status') {
      return withContext(definitions, async (context) => {
        for (const partition of await projectionsStatus(context)) printJson(partition);
        return EXIT.ok;
      });
    }
    if ((action === 'rebuild' || action === 'retry') && name) {
      return withContext(definitions, async (context) =>
        answer(
          action === 'rebuild'
            ? await projectionsRebuild(context, name)
            : await projectionsRetry(context, name),
        ),
      );
    }
    throw new CliUsageError('projections status | projections rebuild <name> | projections retry <name>');
  },
  snapshot: async ([type, id]) => {
    if (!type || !id) throw new CliUsageError('snapshot <type> <id>');
    return withContext(definitions, async (context) => answer(await takeSnapshot(context, type, id)));
  },
});
