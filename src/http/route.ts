import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Access, Principal } from './auth/index.js';

/** What a handler answers; `hijacked` when it wrote the response itself (the live stream). */
export type RouteResult =
  | {
      readonly status: number;
      readonly body: unknown;
      readonly headers?: Readonly<Record<string, string>>;
      /** Default JSON. */
      readonly contentType?: string;
    }
  | { readonly status: 'hijacked' };

export type RouteInput<Params, Query, Body> = {
  readonly params: Params;
  readonly query: Query;
  readonly body: Body;
  /** Present on every route but the public ones. */
  readonly principal: Principal | undefined;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
};

type Empty = z.ZodType<Record<string, never>>;

export type RouteDefinition<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  readonly method: 'GET' | 'POST';
  /** Fastify syntax: `/v1/aggregates/:type/:id`. */
  readonly url: string;
  readonly access: Access;
  readonly summary: string;
  readonly tag: string;
  /** The request is validated with these; the OpenAPI document is generated from them too. */
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Status codes and what they mean, for the OpenAPI document. */
  readonly responses: Readonly<Record<number, string>>;
  /** Response media type when not JSON. */
  readonly produces?: string;
  /** Left out of the OpenAPI document (the UI's assets). */
  readonly hidden?: boolean;
  /** A server span per request, child of the caller's traceparent. Default true. */
  readonly traced?: boolean;
  /** Extra JSON Schema for the OpenAPI document, e.g. the command payloads. */
  readonly openApiBody?: () => Record<string, unknown>;
  readonly handler: (input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<RouteResult>;
};

/** A route with its types erased, as the server registers it. */
export type ApiRoute = Omit<RouteDefinition<z.ZodType, z.ZodType, z.ZodType>, 'handler'> & {
  readonly handler: (input: RouteInput<unknown, unknown, unknown>) => Promise<RouteResult>;
};

/** Declares a route; its schemas type the handler's input. */
export const defineRoute = <
  P extends z.ZodType = Empty,
  Q extends z.ZodType = Empty,
  B extends z.ZodType = Empty,
>(
  route: RouteDefinition<P, Q, B>,
): ApiRoute => route as unknown as ApiRoute;

export const json = (status: number, body: unknown, headers?: Record<string, string>): RouteResult => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});
