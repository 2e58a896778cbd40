import type { Knex } from '@mikro-orm/postgresql';
import type { AcceptedResult } from '../../messages/index.js';
import { readStream } from './readStream.js';
import { query } from './sql.js';

type CommandRow = { stream_type: string; stream_id: string; first_version: number; last_version: number };

/** A recorded command's result, rebuilt from the events it appended: the same answer every time. */
export const findCommandResult = async (
  knex: Knex,
  commandId: string,
): Promise<AcceptedResult | undefined> => {
  const [command] = await query<CommandRow>(
    knex,
    'select stream_type, stream_id, first_version, last_version from es_commands where command_id = ?',
    [commandId],
  );
  if (!command) return undefined;
  const events =
    command.first_version <= command.last_version
      ? await readStream(
          knex,
          { streamType: command.stream_type, streamId: command.stream_id },
          { afterVersion: command.first_version - 1, toVersion: command.last_version },
        )
      : [];
  return {
    status: 'accepted',
    commandId,
    aggregateType: command.stream_type,
    aggregateId: command.stream_id,
    version: command.last_version,
    events,
  };
};
