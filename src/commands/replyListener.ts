import { ChronicleError } from '../errors/index.js';
import type { RedisConnection } from '../services/index.js';
import { type CommandReply, parseReply } from './commandReply.js';

type Waiter = {
  readonly settle: (reply: CommandReply) => void;
  readonly fail: (error: Error) => void;
  readonly shard: number;
  readonly commandId: string;
  readonly since: number;
};

/** How often waits older than this are looked up in their queue (a reply lost to a crash). */
const RECHECK_EVERY_MS = 5_000;

type Recheck = (commandId: string, shard: number) => Promise<CommandReply | undefined>;

/** A wait is for one job: a command id in a shard's queue. */
const jobKey = (shard: number, commandId: string) => `${shard}/${commandId}`;

/**
 * A client's side of the reply channel: one subscribed connection; each waiting send registers
 * its command id before enqueueing, and the worker that finishes the command publishes the answer
 * there. The queue stays the truth: replies published while the subscription was down are lost,
 * so after a reconnect every waiting command is looked up in its queue (`recheck`), and so is any
 * wait older than 5 s (a worker killed between finishing a job and publishing its answer).
 */
export class ReplyListener {
  readonly #waiters = new Map<string, Waiter>();
  readonly #sweep: NodeJS.Timeout;

  private constructor(
    private readonly subscriber: RedisConnection,
    private readonly recheck: Recheck,
    recheckEveryMs: number,
  ) {
    this.#sweep = setInterval(() => this.#recheckAll(Date.now() - recheckEveryMs), recheckEveryMs);
    this.#sweep.unref();
  }

  /**
   * Subscribes `subscriber` (a connection of its own, closed by `close`) to `channel`; `recheck`
   * reads a command's answer from its queue when the reply may have been missed.
   */
  static async start(
    subscriber: RedisConnection,
    channel: string,
    recheck: Recheck,
    recheckEveryMs = RECHECK_EVERY_MS,
  ): Promise<ReplyListener> {
    const listener = new ReplyListener(subscriber, recheck, recheckEveryMs);
    subscriber.on('message', (_channel: string, message: string) => {
      const reply = parseReply(message);
      if (reply) listener.#settle(reply);
    });
    try {
      await subscriber.subscribe(channel);
    } catch (error) {
      await listener.close();
      throw error;
    }
    // ioredis subscribes again after a reconnect; what was published meanwhile is read from the queues
    subscriber.on('ready', () => listener.#recheckAll(Number.POSITIVE_INFINITY));
    return listener;
  }

  /** Registers the wait (before the command is enqueued, so its reply cannot come first). */
  expect(commandId: string, shard: number, timeoutMs: number): Promise<CommandReply> {
    const key = jobKey(shard, commandId);
    return new Promise<CommandReply>((resolve, reject) => {
      // a second send of the same id while the first waits: both hear the one answer
      const previous = this.#waiters.get(key);
      const done = () => {
        clearTimeout(timer);
        if (this.#waiters.get(key) === waiter) this.#waiters.delete(key);
      };
      const waiter: Waiter = {
        shard,
        commandId,
        since: Date.now(),
        settle: (reply) => {
          done();
          previous?.settle(reply);
          resolve(reply);
        },
        fail: (error) => {
          done();
          previous?.fail(error);
          reject(error);
        },
      };
      // a timeout ends this wait only: an earlier wait for the same id keeps waiting
      const timer = setTimeout(() => {
        if (this.#waiters.get(key) === waiter) {
          if (previous) this.#waiters.set(key, previous);
          else this.#waiters.delete(key);
        }
        reject(
          new ChronicleError(
            'TIMEOUT',
            `command ${commandId} got no answer within ${timeoutMs} ms; it stays queued`,
          ),
        );
      }, timeoutMs);
      this.#waiters.set(key, waiter);
    });
  }

  /**
   * Looks one waiting command up in its queue now (it may have finished before anyone listened).
   * What it reads answers the wait it was read for, never a newer wait for the same id: a resend of
   * a dead-lettered command registers its wait before the job is retried, so a read begun for an
   * earlier wait may still see the old failure.
   */
  async check(commandId: string, shard: number): Promise<void> {
    const key = jobKey(shard, commandId);
    const waiter = this.#waiters.get(key);
    if (!waiter) return;
    try {
      const reply = await this.recheck(commandId, shard);
      if (reply && this.#waiters.get(key) === waiter) waiter.settle(reply);
    } catch (error) {
      if (this.#waiters.get(key) === waiter) waiter.fail(error as Error);
    }
  }

  /**
   * Looks a waiting command up in its queue now and then (25 ms, doubling to 1 s) until it is
   * answered: for a command id that may name a job enqueued before, by a send whose reply goes
   * elsewhere (or nowhere). It polls for the wait registered when it began, and stops when that one
   * is answered, though a later send of the same id waits on.
   */
  async poll(commandId: string, shard: number): Promise<void> {
    const key = jobKey(shard, commandId);
    const waiter = this.#waiters.get(key);
    for (let delay = 25; waiter && this.#waiters.get(key) === waiter; delay = Math.min(1_000, delay * 2)) {
      await this.check(commandId, shard);
      if (this.#waiters.get(key) !== waiter) return;
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
    }
  }

  #settle(reply: CommandReply): void {
    this.#waiters.get(jobKey(reply.shard, reply.commandId))?.settle(reply);
  }

  /** Looks up every wait registered before `before`. */
  #recheckAll(before: number): void {
    for (const waiter of [...this.#waiters.values()])
      if (waiter.since < before) void this.check(waiter.commandId, waiter.shard);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    const closing = new ChronicleError('COMMAND_FAILED', 'the command client was closed');
    for (const waiter of [...this.#waiters.values()]) waiter.fail(closing);
    await this.subscriber.quit().catch(() => {});
  }
}
