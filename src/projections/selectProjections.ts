import { ChronicleError } from '../errors/index.js';
import type { Projection } from './defineProjection.js';

/**
 * The projections a pod runs: all of them, or those named in `names` (e.g. CHRONICLE_PROJECTIONS
 * `orders_view,order_totals`), so heavy projections can get pods of their own.
 */
export const selectProjections = (projections: readonly Projection[], names?: string): Projection[] => {
  const byName = new Map<string, Projection>();
  for (const projection of projections) {
    if (byName.has(projection.name)) {
      throw new ChronicleError('CONFIGURATION', `projection "${projection.name}" is defined twice`);
    }
    byName.set(projection.name, projection);
  }
  const wanted = names
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!wanted || wanted.length === 0) return [...projections];
  return wanted.map((name) => {
    const projection = byName.get(name);
    if (!projection) {
      throw new ChronicleError(
        'CONFIGURATION',
        `no projection "${name}"; known: ${[...byName.keys()].join(', ')}`,
      );
    }
    return projection;
  });
};

/** Finds one projection by name, for the CLI verbs. */
export const findProjection = (projections: readonly Projection[], name: string): Projection | undefined =>
  projections.find((projection) => projection.name === name);
