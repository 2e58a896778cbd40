import type { Access } from '../auth/index.js';
import type { ApiRoute } from '../route.js';
import { inputSchema, type JsonSchema } from './jsonSchema.js';

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

const parameters = (schema: ApiRoute['params'], where: 'path' | 'query') => {
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

const operation = (route: ApiRoute) => {
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
      {
        description,
        content:
          Number(status) >= 400
            ? { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } }
            : { [route.produces ?? 'application/json']: {} },
      },
    ]),
  );
  const body = route.openApiBody?.() ?? (route.body ? inputSchema(route.body) : undefined);
  return {
    summary: route.summary,
    description: roleNote[route.access],
    tags: [route.tag],
    security: security(route.access),
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    responses,
  };
};

/** The OpenAPI 3.1 document of the routes, generated from the very schemas that validate them. */
export const buildOpenApi = (
  routes: readonly ApiRoute[],
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
