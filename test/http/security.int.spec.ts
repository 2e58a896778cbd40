import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '../../src/messages/index.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { startPod } from '../support/processes.js';
import { JWT_SECRET, keys, LIMITED_RATE, signToken } from './support/apiKeys.js';
import { useApiPodWithKeys } from './support/apiPod.js';
import { type Answer, call, withKey } from './support/http.js';

const api = useApiPodWithKeys();

const place = (aggregateId = 'sec-1') => ({
  aggregateType: 'order',
  aggregateId,
  type: 'PlaceOrder',
  payload: placeOrderPayload,
});

/** Every error is `{ code, message }` JSON and never shows a stack. */
const expectError = (answer: Answer, status: number, code: string) => {
  expect([answer.status, (answer.body as { code?: string }).code], answer.text).toEqual([status, code]);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.body).toEqual(expect.objectContaining({ message: expect.any(String) }));
  expect(answer.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
};

describe('who may call the API', () => {
  it('answers 401 without credentials or with bad ones, on every /v1 route', async () => {
    for (const route of [
      '/v1/stats',
      '/v1/machines',
      '/v1/openapi.json',
      '/v1/aggregates/order/x',
      '/v1/stream',
    ]) {
      expectError(await call(`${api.url}${route}`), 401, 'UNAUTHENTICATED');
    }
    expectError(await call(`${api.url}/v1/commands`, { json: place() }), 401, 'UNAUTHENTICATED');
    expectError(
      await call(`${api.url}/v1/stats`, { headers: withKey('not-a-key-at-all-000') }),
      401,
      'INVALID_CREDENTIALS',
    );
    const forged = await signToken('svc', ['admin']);
    const tampered = `${forged.slice(0, -4)}AAAA`;
    expectError(
      await call(`${api.url}/v1/stats`, { headers: { authorization: `Bearer ${tampered}` } }),
      401,
      'INVALID_CREDENTIALS',
    );
    // the probes and the page itself are public
    expect((await call(`${api.url}/healthz`)).status).toBe(200);
    expect((await call(`${api.url}/readyz`)).status).toBe(200);
    expect((await call(`${api.url}/ui/`)).status).toBe(200);
    const metrics = await call(`${api.url}/metrics`);
    expect([metrics.status, metrics.headers.get('content-type')]).toEqual([
      200,
      'text/plain; version=0.0.4; charset=utf-8',
    ]);
  });

  it('answers 403 without the role, and limits commands:send:<type> to that type', async () => {
    expectError(
      await call(`${api.url}/v1/commands`, { json: place(), headers: withKey(keys.reader) }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await call(`${api.url}/v1/dead-letters`, { headers: withKey(keys.reader) }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await call(`${api.url}/v1/projections/orders_view/rebuild`, {
        method: 'POST',
        headers: withKey(keys.sender),
      }),
      403,
      'FORBIDDEN',
    );
    const payment = { aggregateType: 'payment', aggregateId: 'pay-1', type: 'RequestPayment', payload: {} };
    expectError(
      await call(`${api.url}/v1/commands`, { json: payment, headers: withKey(keys.orderSender) }),
      403,
      'FORBIDDEN',
    );
    const allowed = await call(`${api.url}/v1/commands`, {
      json: place('sec-2'),
      headers: withKey(keys.orderSender),
    });
    expect(allowed.status).toBe(202);
    expectError(await call(`${api.url}/v1/stats`, { headers: withKey(keys.orderSender) }), 403, 'FORBIDDEN');
  });

  it('accepts HS256 bearer tokens with their roles claim', async () => {
    const reader = { authorization: `Bearer ${await signToken('dashboard', ['read'])}` };
    expect((await call(`${api.url}/v1/stats`, { headers: reader })).status).toBe(200);
    expect((await call(`${api.url}/v1/whoami`, { headers: reader })).body).toEqual({
      id: 'jwt:dashboard',
      via: 'jwt',
      roles: ['read'],
    });
    expectError(await call(`${api.url}/v1/commands`, { json: place(), headers: reader }), 403, 'FORBIDDEN');
  });

  it('refuses a bearer token without exp, however well signed', async () => {
    const forever = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('forever')
      .sign(new TextEncoder().encode(JWT_SECRET));
    const answer = await call(`${api.url}/v1/stats`, { headers: { authorization: `Bearer ${forever}` } });
    expectError(answer, 401, 'INVALID_CREDENTIALS');
    expect((answer.body as { message: string }).message).toMatch(/exp/);
  });

  it('rate-limits per principal: 429 with Retry-After, other principals unaffected', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i <= LIMITED_RATE; i++)
      answers.push(await call(`${api.url}/v1/stats`, { headers: withKey(keys.limited) }));
    expect(answers.slice(0, LIMITED_RATE).map((a) => a.status)).toEqual(Array(LIMITED_RATE).fill(200));
    const limited = answers.at(-1) as Answer;
    expectError(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call(`${api.url}/v1/stats`, { headers: withKey(keys.reader) })).status).toBe(200);
  });
});

describe('what the API accepts', () => {
  const post = (raw: string, headers: Record<string, string> = {}) =>
    call(`${api.url}/v1/commands`, {
      raw,
      headers: { 'content-type': 'application/json', ...withKey(keys.sender), ...headers },
    });

  it('refuses malformed JSON, oversized bodies and other media types', async () => {
    expectError(await post('{"aggregateType": "order",'), 400, 'MALFORMED_JSON');
    const huge = JSON.stringify({ ...place(), payload: { note: 'x'.repeat(MAX_PAYLOAD_BYTES) } });
    expectError(await post(huge), 413, 'PAYLOAD_TOO_LARGE');
    expectError(
      await post('aggregateType=order', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('refuses bad ids and unknown fields, in bodies, paths and queries', async () => {
    expectError(await post(JSON.stringify(place('has spaces'))), 400, 'INVALID_REQUEST');
    expectError(await post(JSON.stringify(place('x'.repeat(201)))), 400, 'INVALID_REQUEST');
    expectError(await post(JSON.stringify({ ...place(), commandId: 'job:1' })), 400, 'INVALID_REQUEST');
    expectError(await post(JSON.stringify({ ...place(), commandId: '12345' })), 400, 'INVALID_REQUEST');
    expectError(await post(JSON.stringify({ ...place(), priority: 'high' })), 400, 'INVALID_REQUEST');
    const reader = withKey(keys.reader);
    expectError(
      await call(`${api.url}/v1/aggregates/order/bad%20id`, { headers: reader }),
      400,
      'INVALID_REQUEST',
    );
    expectError(await call(`${api.url}/v1/aggregates/Order!/x`, { headers: reader }), 400, 'INVALID_REQUEST');
    expectError(
      await call(`${api.url}/v1/events?limit=5&colour=red`, { headers: reader }),
      400,
      'INVALID_REQUEST',
    );
    expectError(await call(`${api.url}/v1/orders?limit=1000`, { headers: reader }), 400, 'INVALID_REQUEST');
    expectError(await call(`${api.url}/v1/stream?after=42`, { headers: reader }), 400, 'INVALID_REQUEST');
    expectError(await call(`${api.url}/v1/nothing-here`, { headers: reader }), 404, 'NOT_FOUND');
  });

  it('serves an OpenAPI document generated from the validating schemas', async () => {
    const answer = await call(`${api.url}/v1/openapi.json`, { headers: withKey(keys.reader) });
    const document = answer.body as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { oneOf: unknown[] } }> } }>
      >;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/commands',
        '/v1/aggregates/{type}/{id}/at/{version}',
        '/v1/stream',
        '/v1/ws',
        '/v1/orders',
      ]),
    );
    const variants =
      document.paths['/v1/commands']?.post?.requestBody?.content['application/json']?.schema.oneOf;
    expect(variants).toContainEqual(
      expect.objectContaining({
        title: 'order.PlaceOrder',
        additionalProperties: false,
        properties: expect.objectContaining({
          payload: expect.objectContaining({
            required: expect.arrayContaining(['customerId', 'paymentMethod']),
          }),
        }),
      }),
    );
  });

  it('describes /v1/ws in OpenAPI as a GET that upgrades, with the live feed of /v1/stream', async () => {
    const answer = await call(`${api.url}/v1/openapi.json`, { headers: withKey(keys.reader) });
    type Operation = {
      security: unknown[];
      parameters: { name: string; in: string; schema: unknown }[];
      responses: Record<string, { description: string; content?: unknown; headers?: unknown }>;
    };
    const { paths } = answer.body as { paths: Record<string, Record<string, Operation>> };
    const ws = paths['/v1/ws']?.get as Operation;
    const sse = paths['/v1/stream']?.get as Operation;
    // the same query schema validates both: the same parameters
    expect(ws.parameters.filter((parameter) => parameter.in === 'query')).toEqual(sse.parameters);
    expect(ws.parameters).toContainEqual(
      expect.objectContaining({
        name: 'Upgrade',
        in: 'header',
        schema: { type: 'string', const: 'websocket' },
      }),
    );
    expect(ws.security).toEqual(sse.security);
    expect(ws.security.length).toBeGreaterThan(0);
    expect(Object.keys(ws.responses).sort()).toEqual(['101', '400', '401', '403', '426', '429', '503']);
    const opened = ws.responses['101'];
    expect(opened?.content).toBeUndefined();
    expect(opened?.description).toContain('{ position, event }');
    // what the document says a plain GET answers is what it answers
    expectError(await call(`${api.url}/v1/ws`, { headers: withKey(keys.reader) }), 426, 'UPGRADE_REQUIRED');
  });
});

describe('the api pod', () => {
  it('counts and times requests by route and status on /metrics, and shows no command line or owner', async () => {
    await call(`${api.url}/v1/stats`, { headers: withKey(keys.reader) });
    await call(`${api.url}/v1/aggregates/order/metrics-x`, { headers: withKey(keys.reader) });
    const { text } = await call(`${api.url}/metrics`);
    const series = (route: string, status: number) =>
      new RegExp(
        `^chronicle_http_request_duration_count\\{[^}]*http_route="${route.replaceAll('/', '\\/')}"[^}]*http_response_status_code="${status}"[^}]*\\} [1-9]`,
        'm',
      );
    expect(text).toMatch(series('/v1/stats', 200));
    expect(text).toMatch(series('/v1/aggregates/:type/:id', 404));
    expect(text).not.toMatch(/metrics-x/);
    const target = text.split('\n').find((line) => line.startsWith('target_info{')) ?? '';
    expect(target).toMatch(/process_pid=/);
    expect(target).not.toMatch(/process_command_args|process_command=|process_owner|process_executable_path/);
  });

  it('refuses to start with a JWT secret under 32 bytes, or keys without a name', async () => {
    for (const [env, reason] of [
      [{ CHRONICLE_JWT_SECRET: 'x' }, /CHRONICLE_JWT_SECRET must be at least 32 bytes/],
      [
        { CHRONICLE_API_KEYS: JSON.stringify([{ key: 'a-key-of-enough-length', roles: ['read'] }]) },
        /CHRONICLE_API_KEYS: 0\.name/,
      ],
    ] as const) {
      const pod = startPod('workers/api.ts', { ...api.path.podEnv, HOST: '127.0.0.1', PORT: '0', ...env });
      expect(await pod.exited).toEqual({ code: 1, signal: null });
      expect(pod.output()).toMatch(reason);
    }
  });

  it('stops gracefully on SIGTERM: not ready, requests finished, connections closed, exit 0', async () => {
    expect(await api.stop()).toEqual({ code: 0, signal: null });
    expect(api.pod.output()).toMatch(/"msg":"stopped"/);
  });
});
