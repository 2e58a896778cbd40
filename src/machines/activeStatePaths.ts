import type { StateValue } from 'xstate';

/**
 * The states an instance is in, as paths, ancestors first: `{ placed: { payment: 'paid' } }` gives
 * `placed`, `placed.payment`, `placed.payment.paid`. The leaves are what the visualiser lights.
 */
export const activeStatePaths = (value: StateValue, prefix = ''): string[] => {
  const join = (key: string) => (prefix ? `${prefix}.${key}` : key);
  if (typeof value === 'string') return [join(value)];
  return Object.entries(value).flatMap(([key, inner]) =>
    inner === undefined ? [join(key)] : [join(key), ...activeStatePaths(inner, join(key))],
  );
};
