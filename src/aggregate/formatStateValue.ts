import type { StateValue } from 'xstate';

/** `{ payment: 'paid', shipping: 'inTransit' }` → `payment.paid, shipping.inTransit`. */
export const formatStateValue = (value: StateValue): string => {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([region, inner]) =>
      inner === undefined
        ? region
        : formatStateValue(inner)
            .split(', ')
            .map((leaf) => `${region}.${leaf}`)
            .join(', '),
    )
    .join(', ');
};
