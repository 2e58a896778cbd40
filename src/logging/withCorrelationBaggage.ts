import { type Context, context, propagation } from '@opentelemetry/api';

/**
 * The W3C baggage entry that carries the correlation id. Baggage is propagated with the trace
 * context, so the id follows a command into its job, its events and the handlers downstream.
 */
export const CORRELATION_BAGGAGE_KEY = 'chronicle.correlation_id';

/** The correlation id in the baggage of `ctx` (default: the active context), if any. */
export const getCorrelationId = (ctx: Context = context.active()): string | undefined =>
  propagation.getBaggage(ctx)?.getEntry(CORRELATION_BAGGAGE_KEY)?.value;

/**
 * Runs `fn` in the active context plus a baggage entry `chronicle.correlation_id = correlationId`
 * (replacing any previous one; other baggage entries are kept). Logs written inside carry it as
 * `correlation_id`, and trace context injected inside carries it on. Call it where a command or an
 * event starts being processed, inside the consumer span: a span started with an explicit `parent`
 * context takes that context's baggage, not the active one's.
 *
 * @example
 * await withSpan('consumer', 'command process', { parent: extracted, attributes }, () =>
 *   withCorrelationBaggage(envelope.correlationId, () => handle(envelope)),
 * );
 */
export const withCorrelationBaggage = <T>(correlationId: string, fn: () => T): T => {
  const active = context.active();
  const baggage = (propagation.getBaggage(active) ?? propagation.createBaggage()).setEntry(
    CORRELATION_BAGGAGE_KEY,
    { value: correlationId },
  );
  return context.with(propagation.setBaggage(active, baggage), fn);
};
