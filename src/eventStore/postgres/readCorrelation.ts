import type { Knex } from '@mikro-orm/postgresql';
import type { EventSchemas } from '../../eventSchemas/index.js';
import type { RecordedEvent } from '../../messages/index.js';
import type { StoredCommand } from '../eventStore.js';
import { type CommandRow, commandColumns, rejectedAnswer, rowToStoredCommand } from './findCommand.js';
import { type EventRow, eventColumns, rowToEvent } from './rowToEvent.js';
import { query } from './sql.js';

export type CorrelationRecords = {
  readonly commands: readonly StoredCommand[];
  readonly events: readonly RecordedEvent[];
};

/**
 * Every command the ledger recorded and every event stored under one correlation id (both
 * indexed by it), in recording order. A command's result here carries no events: the events are
 * in `events`.
 */
export const readCorrelation = async (
  knex: Knex,
  schemas: EventSchemas,
  correlationId: string,
): Promise<CorrelationRecords> => {
  const [commandRows, eventRows] = await Promise.all([
    query<CommandRow>(
      knex,
      `select ${commandColumns} from es_commands where correlation_id = ? order by recorded_at, command_id`,
      [correlationId],
    ),
    query<EventRow>(
      knex,
      `select ${eventColumns} from es_events where metadata ->> 'correlationId' = ? order by global_position`,
      [correlationId],
    ),
  ]);
  const commands = commandRows.map((row) =>
    rowToStoredCommand(
      row,
      row.status === 'rejected'
        ? rejectedAnswer(row)
        : {
            status: 'accepted',
            commandId: row.command_id,
            aggregateType: row.stream_type,
            aggregateId: row.stream_id,
            version: row.last_version,
            events: [],
          },
    ),
  );
  return { commands, events: eventRows.map((row) => rowToEvent(row, schemas)) };
};
