import { z } from 'zod';

/**
 * The largest quantity one order may carry. orders_view keeps it in a PostgreSQL `integer`
 * (2,147,483,647 at most); the domain's own bound sits far below, so a command the aggregate
 * accepts is always a row the read model can hold.
 */
export const MAX_QUANTITY = 1_000_000;

/**
 * The largest amount of money (an order's total, a price, a payment) in the currency's unit. The
 * read models keep amounts in `numeric` and the API answers sums as JSON numbers: with every amount
 * at most a trillion, sums stay finite and exact to the cent far beyond any real volume.
 */
export const MAX_AMOUNT = 1_000_000_000_000;

export const Quantity = z.number().int().positive().max(MAX_QUANTITY);
/** Zero allowed (a free product); finite, since JSON has no Infinity. */
export const Amount = z.number().nonnegative().max(MAX_AMOUNT);
export const PositiveAmount = z.number().positive().max(MAX_AMOUNT);

/** Currencies by ISO 4217 code, as the runtime's ICU data knows them. */
const isoCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code: three upper-case letters naming a known currency. */
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code: three upper-case letters')
  .refine((code) => isoCurrencies.has(code), 'not an ISO 4217 currency code');

/** The currency of an order or payment made without one. */
export const DEFAULT_CURRENCY = 'EUR';
