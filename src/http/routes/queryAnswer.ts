import type { QueryResult } from '../../queries/index.js';
import { HttpError } from '../httpError.js';
import { json, type RouteResult } from '../route.js';

/** A query helper's data, or its refusal: 400 INVALID_REQUEST for bad input, 404 for nothing there. */
export const queryData = <Data>(result: QueryResult<Data>): Data => {
  switch (result.status) {
    case 'ok':
      return result.data;
    case 'invalid':
      throw new HttpError(400, 'INVALID_REQUEST', result.message, { issues: result.issues });
    case 'not-found':
      throw new HttpError(404, 'NOT_FOUND', result.message);
    default:
      return result satisfies never;
  }
};

/** A query helper's answer as HTTP: 200 with the data, 400 for bad input, 404 for nothing there. */
export const queryAnswer = <Data>(
  result: QueryResult<Data>,
  map: (data: Data) => unknown = (d) => d,
): RouteResult => json(200, map(queryData(result)));
