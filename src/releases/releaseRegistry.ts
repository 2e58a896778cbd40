import type { LoggerPort } from '../logging/index.js';
import type { RedisConnection } from '../services/index.js';
import type { ReleaseManifest } from './releaseManifest.js';

/** How long a release stays listed after its last pod's last heartbeat. */
export const RELEASE_TTL_MS = 10_000;

/** Removes the named entries that are still expired (a pod of the release may have just renewed one). */
const dropExpired = `
  for i = 2, #ARGV do
    local text = redis.call('HGET', KEYS[1], ARGV[i])
    if text and cjson.decode(text).expiresAt <= tonumber(ARGV[1]) then redis.call('HDEL', KEYS[1], ARGV[i]) end
  end`;

type Entry = { readonly expiresAt: number; readonly manifest: ReleaseManifest };

const releasesKey = (prefix: string) => `${prefix}:releases`;

/** Redis' clock in ms: every pod compares expiries against the same one. */
const redisNow = async (redis: RedisConnection): Promise<number> => {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
};

/** The releases with a live command pod under `prefix` (see ReleaseRegistry); expired entries are dropped. */
export const readLiveReleases = async (
  redis: RedisConnection,
  prefix: string,
): Promise<ReleaseManifest[]> => {
  const key = releasesKey(prefix);
  const [now, fields] = await Promise.all([redisNow(redis), redis.hgetall(key)]);
  const live: ReleaseManifest[] = [];
  const expired: string[] = [];
  for (const [release, text] of Object.entries(fields)) {
    const entry = JSON.parse(text) as Entry;
    if (entry.expiresAt > now) live.push(entry.manifest);
    else expired.push(release);
  }
  if (expired.length > 0) await redis.eval(dropExpired, 1, key, now, ...expired);
  return live;
};

/**
 * The releases running now, as their command pods record them: one hash in Redis
 * (`<prefix>:releases`, a field per release, so one key, one slot), each entry written with an
 * expiry that every pod of the release pushes on by a heartbeat. A release whose pods all stopped
 * drops out within RELEASE_TTL_MS; readers skip (and remove) expired entries.
 */
export class ReleaseRegistry {
  readonly #key: string;
  readonly #prefix: string;
  #timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly redis: RedisConnection,
    prefix: string,
    readonly manifest: ReleaseManifest,
    private readonly logger: LoggerPort,
  ) {
    this.#key = releasesKey(prefix);
    this.#prefix = prefix;
  }

  /** Records this pod's release at once, then every third of RELEASE_TTL_MS until stopped. */
  static async start(
    redis: RedisConnection,
    prefix: string,
    manifest: ReleaseManifest,
    logger: LoggerPort,
  ): Promise<ReleaseRegistry> {
    const registry = new ReleaseRegistry(redis, prefix, manifest, logger);
    await registry.#beat();
    registry.#schedule();
    return registry;
  }

  async #beat(): Promise<void> {
    const entry: Entry = {
      expiresAt: (await redisNow(this.redis)) + RELEASE_TTL_MS,
      manifest: this.manifest,
    };
    await this.redis.hset(this.#key, this.manifest.release, JSON.stringify(entry));
  }

  #schedule(): void {
    this.#timer = setTimeout(
      () => {
        this.#beat()
          .catch((error: unknown) =>
            this.logger.warn({ err: error }, 'release heartbeat failed; trying again'),
          )
          .finally(() => {
            if (this.#timer) this.#schedule();
          });
      },
      Math.floor(RELEASE_TTL_MS / 3),
    );
    this.#timer.unref();
  }

  /**
   * Every release with a live pod, this one included. Read afresh each time: it is asked only for a
   * command this release would refuse, and a release that started a moment ago must count.
   */
  live(): Promise<ReleaseManifest[]> {
    return readLiveReleases(this.redis, this.#prefix);
  }

  /** Stops the heartbeat; the entry expires unless another pod of the release renews it. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
