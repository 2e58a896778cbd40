import type { Access } from '../auth/index.js';
import type { ApiRoute } from '../route.js';
import { inputSchema, type JsonSchema } from './jsonSchema.js';

/**
 * What the document is built from: a route's description without its handler. A route fastify
 * serves itself (the WebSocket) is described here too, with `upgrade`.
 */
export type DocumentedRoute = Omit<ApiRoute, 'handler'> & {
  /** The GET upgrades the connection to this protocol (answered 101); a refusal comes before it. */
  readonly upgrade?: 'websocket';
};

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'stable, e.g. INVALID_REQUEST, FORBIDDEN, INVALID_TRANSITION' },
    message: { type: 'string' },
    details: { type: 'object' },
  },
};

const security = (access: Access) => (access === 'public' ? [] : [{ bearerAuth: [] }, { apiKey: [] }]);

const roleNote: Record<Access, string> = {
  public: 'No credentials.',
  authenticated: 'Any valid credentials.',
  read: 'Role `read` (or `admin`).',
  send: 'Role `commands:send` or `commands:send:<aggregateType>` (or `admin`).',
  'read-or-send': 'Role `read` or a `commands:send` role (or `admin`).',
  admin: 'Role `admin`.',
};

const upgradeNote =
  'Upgrades to a WebSocket (RFC 6455): send the handshake with `Upgrade: websocket` and the credentials in headers. ' +
  'Everything that refuses the socket is an HTTP answer before the upgrade; a GET without it is 426.';

/** The handshake header a client library sends for it; the rest of the handshake is RFC 6455's. */
const upgradeHeader = (protocol: string) => ({
  name: 'Upgrade',
  in: 'header',
  required: true,
  schema: { type: 'string', const: protocol },
});

const parameters = (schema: DocumentedRoute['params'], where: 'path' | 'query') => {
  if (!schema) return [];
  const json = inputSchema(schema);
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
};

/** A response's body: none for 1xx (101 Switching Protocols names its protocol), the Error for a refusal. */
const responseContent = (route: DocumentedRoute, status: number) => {
  if (status < 200)
    return route.upgrade
      ? { headers: { Upgrade: { schema: { type: 'string', const: route.upgrade } } } }
      : {};
  if (status >= 400)
    return { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return { content: { [route.produces ?? 'application/json']: {} } };
};

const operation = (route: DocumentedRoute) => {
  const common: Record<number, string> = {};
  if (route.params || route.query || route.body)
    common[400] = 'invalid request (bad ids, unknown fields, malformed JSON)';
  if (route.access !== 'public') {
    common[401] = 'no or invalid credentials';
    common[403] = 'missing role';
    common[429] = 'rate limited (Retry-After)';
  }
  const responses = Object.fromEntries(
    Object.entries({ ...common, ...route.responses }).map(([status, description]) => [
      status,
      { description, ...responseContent(route, Number(status)) },
    ]),
  );
  const body = route.openApiBody?.() ?? (route.body ? inputSchema(route.body) : undefined);
  return {
    summary: route.summary,
    description: route.upgrade ? `${roleNote[route.access]} ${upgradeNote}` : roleNote[route.access],
    tags: [route.tag],
    security: security(route.access),
    parameters: [
      ...parameters(route.params, 'path'),
      ...parameters(route.query, 'query'),
      ...(route.upgrade ? [upgradeHeader(route.upgrade)] : []),
    ],
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    responses,
  };
};

/** The OpenAPI 3.1 document of the routes, generated from the very schemas that validate them. */
export const buildOpenApi = (
  routes: readonly DocumentedRoute[],
  info: { title: string; version: string },
): JsonSchema => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.hidden) continue;
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description: 'Chronicle: commands, reads, live events and machines over HTTP. See docs/http-api.md.',
    },
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
    },
  };
};
