import type { ChronicleConfig } from '../config/index.js';
import { createOrm, openPodOrm, type PodOrmOptions } from '../db/index.js';
import { markPodStopped, type PodIdentity, recordPodHeartbeat } from '../eventStore/index.js';
import { type LoggerPort, silentLogger } from '../logging/index.js';

export type PodHeartbeat = {
  readonly podId: string;
  /** Stops the heartbeats and marks the pod stopped, then closes its connection. */
  stop(): Promise<void>;
};

/**
 * Registers a pod in es_pods and keeps it alive there: a heartbeat every third of `ttlMs` (the
 * subscription lease time, so a killed pod shows as gone within the time its leases take to
 * expire). Its own single connection, so a pod's busy pool never delays the beat (unless it is
 * given one: `chronicle dev`'s pods share one pool, beats included). A failed beat is
 * a warning, once per outage: the pod goes on working and shows as gone until a beat gets through.
 */
export const startPodHeartbeat = async (
  options: PodOrmOptions & {
    readonly config: ChronicleConfig;
    readonly pod: PodIdentity;
    readonly ttlMs: number;
    readonly logger?: LoggerPort;
  },
): Promise<PodHeartbeat> => {
  const { pod, ttlMs } = options;
  const logger = options.logger ?? silentLogger;
  const pool = await openPodOrm(options, () =>
    createOrm(options.config.databaseUrl, {
      poolSize: 1,
      preparedStatements: options.config.databasePreparedStatements,
    }),
  );
  const { orm } = pool;
  const knex = orm.em.getKnex();
  let failing = false;
  let beating: Promise<void> = Promise.resolve();
  const beat = () =>
    recordPodHeartbeat(knex, pod, ttlMs).then(
      () => {
        if (failing) logger.info({ podId: pod.id }, 'pod heartbeat recorded again');
        failing = false;
      },
      (error: unknown) => {
        if (!failing) logger.warn({ err: error, podId: pod.id }, 'pod heartbeat failed; retrying');
        failing = true;
      },
    );
  beating = beat();
  await beating;
  const timer = setInterval(
    () => {
      // one beat at a time: a slow database never stacks them up
      beating = beating.then(beat);
    },
    Math.max(100, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    podId: pod.id,
    stop: async () => {
      clearInterval(timer);
      await beating;
      await markPodStopped(knex, pod.id).catch((error: unknown) =>
        logger.warn({ err: error, podId: pod.id }, 'could not mark the pod stopped; it shows as gone'),
      );
      await pool.close();
    },
  };
};
