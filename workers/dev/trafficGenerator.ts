import { randomUUID } from 'node:crypto';
import type {
  CommandClient,
  Logger,
  DevStory as OrderStory,
  DevStoryStep as StoryStep,
  DevStoryTeller as StoryTeller,
} from 'chronicle-runtime';

export type TrafficReport = {
  readonly sent: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly failed: number;
  /** Commands sent, by type. */
  readonly byType: Readonly<Record<string, number>>;
  /** Rejections, by `<command type> <code>`. */
  readonly rejections: Readonly<Record<string, number>>;
  /** Orders whose story was played to the end, by the outcome it was meant to have. */
  readonly finished: Readonly<Record<string, number>>;
  readonly inFlight: number;
};

export type TrafficGenerator = {
  report(): TrafficReport;
  /** Stops sending, waits for the answers in flight, and gives the final report. */
  stop(): Promise<TrafficReport>;
};

export type TrafficOptions = {
  readonly client: CommandClient;
  /** Commands per second. */
  readonly perSecond: number;
  readonly stories: StoryTeller;
  readonly logger: Logger;
  readonly reportEveryMs?: number;
  readonly random?: () => number;
  /** Called as each story starts, with the id it plays on. */
  readonly onStoryStarted?: (id: string, story: OrderStory) => void;
};

type Playing = {
  readonly id: string;
  readonly story: OrderStory;
  next: number;
  busy: boolean;
  retries: number;
};

const tickMs = 100;
/** A step waiting on another actor is tried again this many times before the story is dropped. */
const maxRetries = 100;

const count = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Plays order stories at `perSecond` commands per second: each tick it spends its budget starting
 * orders until about two seconds' worth play side by side, then on the next step of the order
 * whose last command was answered longest ago. So each order moves a step every two seconds or so:
 * slow enough to watch in the visualiser.
 * Reports what it sent every `reportEveryMs` through the logger.
 */
export const startTrafficGenerator = (options: TrafficOptions): TrafficGenerator => {
  const random = options.random ?? Math.random;
  const maxPlaying = Math.max(4, Math.ceil(options.perSecond * 2));
  const playing = new Map<string, Playing>();
  const inFlight = new Set<Promise<void>>();
  const byType: Record<string, number> = {};
  const rejections: Record<string, number> = {};
  const finished: Record<string, number> = {};
  const totals = { sent: 0, accepted: 0, rejected: 0, failed: 0 };
  let budget = 0;

  const report = (): TrafficReport => ({
    ...totals,
    byType: { ...byType },
    rejections: { ...rejections },
    finished: { ...finished },
    inFlight: inFlight.size,
  });

  const advance = (order: Playing, step: StoryStep, outcome: 'accepted' | 'rejected' | 'failed') => {
    order.busy = false;
    if (outcome !== 'accepted' && step.until === 'accepted' && order.retries < maxRetries) {
      order.retries += 1;
      return;
    }
    order.retries = 0;
    order.next += 1;
    if (outcome === 'failed' || order.next >= order.story.steps.length) {
      playing.delete(order.id);
      if (outcome !== 'failed') count(finished, order.story.outcome);
    }
  };

  const send = (order: Playing) => {
    const step = order.story.steps[order.next];
    if (!step) return;
    order.busy = true;
    totals.sent += 1;
    count(byType, step.type);
    const { until: _until, ...request } = step;
    const answered = options.client
      // one story, one correlation: the order's whole causal story (saga included) reads as one
      .send({ ...request, correlationId: order.id, issuedBy: 'chronicle-dev-traffic' }, { wait: true })
      .then(
        (result) => {
          totals[result.status] += 1;
          if (result.status === 'rejected') count(rejections, `${step.type} ${result.code}`);
          advance(order, step, result.status);
        },
        (error: unknown) => {
          totals.failed += 1;
          options.logger.warn(
            { err: error, command: step.type, aggregateId: step.aggregateId },
            'traffic command failed',
          );
          advance(order, step, 'failed');
        },
      )
      .finally(() => inFlight.delete(answered));
    inFlight.add(answered);
  };

  /** A new order while fewer than `maxPlaying` play, else the idle order that waited longest. */
  const nextReady = (): Playing | undefined => {
    if (playing.size < maxPlaying) {
      const id = `dev-${randomUUID().slice(0, 8)}`;
      const order: Playing = { id, story: options.stories(id, random), next: 0, busy: false, retries: 0 };
      playing.set(id, order);
      options.onStoryStarted?.(id, order.story);
      return order;
    }
    for (const order of playing.values()) if (!order.busy) return order;
    return undefined;
  };

  const tick = setInterval(() => {
    budget = Math.min(budget + (options.perSecond * tickMs) / 1000, options.perSecond);
    while (budget >= 1) {
      const order = nextReady();
      if (!order) break;
      // round robin: the order goes to the back of the line
      playing.delete(order.id);
      playing.set(order.id, order);
      send(order);
      budget -= 1;
    }
  }, tickMs);

  const summary = (text: string) => {
    const { sent, accepted, rejected, failed } = totals;
    options.logger.info(
      { sent, accepted, rejected, failed, byType, rejections, finished, inFlight: inFlight.size },
      text,
    );
  };
  const reporter = setInterval(() => summary('traffic'), options.reportEveryMs ?? 5_000);

  return {
    report,
    stop: async () => {
      clearInterval(tick);
      clearInterval(reporter);
      await Promise.allSettled([...inFlight]);
      summary('traffic stopped');
      return report();
    },
  };
};
