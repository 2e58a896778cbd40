import type { ProjectionQuery } from '../projections/projectionQuery.js';

/** A read model the api serves under /v1: a projection's query (see `ProjectionQuery`). */
export type ReadModelRoute = ProjectionQuery;
