import type { ChronicleConfig } from '../config/index.js';
import { readStoreCounts } from '../queries/index.js';
import { EXIT, printJson } from './cliOutput.js';
import { withOrm } from './withOrm.js';

/**
 * `stats`: the store's figures as one JSON object: events, streams and the head, per aggregate type
 * and per event type, all from maintained counters (the queues are `GET /v1/stats`'s).
 */
export const statsCommand = (config: ChronicleConfig): Promise<number> =>
  withOrm(config, async (orm) => {
    printJson(await readStoreCounts(orm.em.getKnex()));
    return EXIT.ok;
  });
