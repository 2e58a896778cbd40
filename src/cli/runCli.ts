import { parseArgs } from 'node:util';
import type { MigrationObject } from '@mikro-orm/core';
import type { Aggregate } from '../aggregate/index.js';
import { createAggregateRegistry } from '../aggregate/index.js';
import { loadConfig } from '../config/index.js';
import {
  eventsCommand,
  migrateCommand,
  sendCommand,
  stateCommand,
  storyCommand,
} from './aggregateCommands.js';
import { CliUsageError, EXIT, errorLine, printError } from './cliOutput.js';
import { clusterUsage } from './clusterVerb.js';
import { deadLetterUsage } from './deadLetterVerbs.js';
import { personalDataUsage } from './personalDataVerbs.js';
import { projectionUsage } from './projectionVerbs.js';
import { statsCommand } from './statsCommand.js';
import { vizUsage } from './vizCommand.js';
import { whatIfCommand, whatIfUsage } from './whatIfCommand.js';

export type PodKind = 'command' | 'projection' | 'snapshot' | 'process-manager' | 'api' | 'nats';

/** What a deployment plugs into the CLI: its aggregates, its pods, and extra verbs. */
export type CliDomain = {
  readonly aggregates: readonly Aggregate[];
  /** The domain's migrations (its read models): `migrate` applies them after the runtime's own. */
  readonly migrations?: readonly MigrationObject[];
  readonly pods: Partial<Record<PodKind, () => Promise<void>>>;
  /** More verbs, e.g. `projections`, `snapshot`, `viz`: each gets the words after the verb. */
  readonly verbs?: Readonly<Record<string, (args: string[]) => Promise<number>>>;
};

export const usage = `usage: chronicle [--config <path>] <verb> [args]
  init [dir] [--force]                      scaffold a new service on chronicle-runtime (an empty directory, or --force)
  dev [--traffic <commands/s>] [--port N]   every pod kind in one process, readable logs, the UI with a dev key;
                                            --traffic plays the config's dev stories
  migrate                                   apply pending migrations, the runtime's then the domain's (creates the database if needed)
  migration create <name>                   write a new, empty migration in the config's migrations folder
  send <type> <id> <Command> [--payload JSON] [--command-id ID] [--wait] [--timeout-ms N]
                                            enqueue a command; prints the result (exit 0 accepted, 2 rejected, 1 error)
  events <type> <id>                        print a stream, one JSON event per line
  state <type> <id> [--at <ISO time>]       print {value, context, version} (exit 2 if it does not exist);
                                            --at 2026-11-29T10:00:00Z: as it was then (exit 2 if it had no events yet)
  story <correlationId>                     print its commands and events in causal order, one JSON line each
  stats                                     print events, streams and the head, per aggregate type and per event type
                                            (maintained counters: as cheap in a store of any size)
  ${whatIfUsage}
                                            replay the stored history through a candidate config: events its machines
                                            refuse, commands its decide answers otherwise (exit 0 none, 3 some; docs/what-if.md)
  worker <command|projection|snapshot|process-manager|api|nats>
                                            run a pod until SIGTERM/SIGINT
${projectionUsage}
${deadLetterUsage}
${clusterUsage}
${personalDataUsage}
  ${vizUsage}
                                            print the machine as Mermaid stateDiagram text (--json: as JSON; --out: write SVG)
config: --config <path>, else CHRONICLE_CONFIG, else chronicle.config.ts (.mts, .js, .mjs) here or above
environment: DATABASE_URL, REDIS_URL, CHRONICLE_SHARDS, CHRONICLE_QUEUE_PREFIX (docs/operations.md)`;

const positionals = (args: string[], count: number, names: string) => {
  const found = args.filter((arg) => !arg.startsWith('--'));
  if (found.length < count) throw new CliUsageError(`expected ${names}`);
  return found;
};

const dispatch = async (verb: string | undefined, rest: string[], domain: CliDomain): Promise<number> => {
  const config = loadConfig();
  const registry = createAggregateRegistry(domain.aggregates);
  switch (verb) {
    case 'migrate':
      return migrateCommand(config, domain.migrations ?? []);
    case 'send': {
      const { values, positionals: words } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          payload: { type: 'string' },
          'command-id': { type: 'string' },
          wait: { type: 'boolean', default: false },
          'timeout-ms': { type: 'string' },
        },
      });
      const [aggregateType, aggregateId, type] = words;
      if (!aggregateType || !aggregateId || !type) throw new CliUsageError('send <type> <id> <Command>');
      const timeoutMs = values['timeout-ms'] ? Number(values['timeout-ms']) : undefined;
      if (timeoutMs !== undefined && !(timeoutMs > 0))
        throw new CliUsageError('--timeout-ms must be a positive number');
      return sendCommand(config, domain.aggregates, {
        aggregateType,
        aggregateId,
        type,
        wait: values.wait,
        ...(values.payload !== undefined ? { payload: values.payload } : {}),
        ...(values['command-id'] ? { commandId: values['command-id'] } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
      });
    }
    case 'events': {
      const [type, id] = positionals(rest, 2, 'events <type> <id>');
      return eventsCommand(config, registry, type as string, id as string);
    }
    case 'state': {
      const { values, positionals: words } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { at: { type: 'string' } },
      });
      const [type, id] = words;
      if (!type || !id) throw new CliUsageError('state <type> <id> [--at <ISO time>]');
      return stateCommand(config, registry, type, id, values.at);
    }
    case 'story': {
      const [correlationId] = positionals(rest, 1, 'story <correlationId>');
      return storyCommand(config, registry, correlationId as string);
    }
    case 'stats':
      return statsCommand(config);
    case 'what-if':
      return whatIfCommand(config, domain.aggregates, rest);
    case 'worker': {
      const kind = rest[0] as PodKind | undefined;
      const pod = kind ? domain.pods[kind] : undefined;
      if (!pod) throw new CliUsageError(`worker <${Object.keys(domain.pods).join('|')}>`);
      await pod();
      return EXIT.ok;
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${usage}\n`);
      return verb === undefined ? EXIT.error : EXIT.ok;
    default: {
      const extra = domain.verbs?.[verb];
      if (!extra) throw new CliUsageError(`unknown verb "${verb}"`);
      return extra(rest);
    }
  }
};

/** Runs one CLI invocation and returns its exit code; errors are printed, never thrown. */
export const runCli = async (argv: readonly string[], domain: CliDomain): Promise<number> => {
  const [verb, ...rest] = argv;
  try {
    return await dispatch(verb, rest, domain);
  } catch (error) {
    if (error instanceof CliUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      printError(`${(error as Error).message}\n${usage}`);
      return EXIT.error;
    }
    printError(errorLine(error));
    return EXIT.error;
  }
};
