import { describe, expect, it } from 'vitest';
import { sample } from '../support/prometheusSample.js';
import { keys } from './support/apiKeys.js';
import { useApiPodWithKeys } from './support/apiPod.js';
import { call, withKey } from './support/http.js';
import { parseRaw, rawHttp } from './support/rawHttp.js';

const POD_STREAMS = 3;
const STREAMS_PER_CALLER = 2;

const api = useApiPodWithKeys({
  CHRONICLE_HTTP_HEADERS_TIMEOUT_MS: '1000',
  CHRONICLE_HTTP_REQUEST_TIMEOUT_MS: '1500',
  CHRONICLE_STREAM_MAX_CONNECTIONS: String(POD_STREAMS),
  CHRONICLE_STREAM_MAX_PER_PRINCIPAL: String(STREAMS_PER_CALLER),
});

/** Sends one more byte every 200 ms until the server closes the connection. */
const trickle = (exchange: ReturnType<typeof rawHttp>) => {
  const timer = setInterval(() => exchange.write('x'), 200);
  return exchange.received.finally(() => clearInterval(timer));
};

const postHead = (headers: Record<string, string>) =>
  `POST /v1/commands HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n${Object.entries(
    headers,
  )
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

describe('slow and silent clients are cut off with a typed answer', () => {
  it('an authenticated POST trickling its body gets 408 REQUEST_TIMEOUT and the connection closes', async () => {
    const raw = await trickle(rawHttp(api.url, postHead(withKey(keys.sender))));
    expect(parseRaw(raw)).toEqual({
      status: 408,
      body: { code: 'REQUEST_TIMEOUT', message: expect.any(String) },
    });
  });

  it('an unauthenticated POST is answered 401 at once, and its connection closes though it keeps sending', async () => {
    const raw = await trickle(rawHttp(api.url, postHead({})));
    // one answer, the 401, and no 408 after it: the server closed instead of reading on
    expect(parseRaw(raw)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
  });

  it('a connection that sends nothing, or headers that never end, is closed', async () => {
    const silent = rawHttp(api.url, '');
    expect(parseRaw(await silent.received)).toMatchObject({ status: 408, body: { code: 'REQUEST_TIMEOUT' } });
    const endless = rawHttp(api.url, 'GET /v1/stats HTTP/1.1\r\nHost: x\r\n');
    const timer = setInterval(() => endless.write('X-Slow: y\r\n'), 200);
    const raw = await endless.received.finally(() => clearInterval(timer));
    expect(parseRaw(raw)).toMatchObject({ status: 408, body: { code: 'REQUEST_TIMEOUT' } });
  });

  it('oversized headers are 431 HEADERS_TOO_LARGE, a malformed request 400, both as { code, message }', async () => {
    const big = rawHttp(api.url, `GET /v1/stats HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(parseRaw(await big.received)).toEqual({
      status: 431,
      body: { code: 'HEADERS_TOO_LARGE', message: expect.any(String) },
    });
    const garbage = rawHttp(api.url, 'NOT HTTP AT ALL\r\n\r\n');
    expect(parseRaw(await garbage.received)).toEqual({
      status: 400,
      body: { code: 'INVALID_REQUEST', message: expect.any(String) },
    });
  });
});

describe('paths', () => {
  it('serves on the read side every id the write side accepts, and refuses longer ones alike', async () => {
    const reader = withKey(keys.reader);
    const longest = 'a'.repeat(200);
    const read = await call(`${api.url}/v1/aggregates/order/${longest}`, { headers: reader });
    expect([read.status, (read.body as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
    const encoded = await call(`${api.url}/v1/aggregates/order/a${'%40'.repeat(199)}/events`, {
      headers: reader,
    });
    expect([encoded.status, (encoded.body as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
    const tooLong = await call(`${api.url}/v1/aggregates/order/${longest}b`, { headers: reader });
    expect([tooLong.status, (tooLong.body as { code: string }).code]).toEqual([400, 'INVALID_REQUEST']);
    const huge = await call(`${api.url}/v1/aggregates/order/${'a'.repeat(5_000)}`, { headers: reader });
    expect([huge.status, huge.body]).toEqual([414, { code: 'URI_TOO_LONG', message: expect.any(String) }]);
    expect(huge.text).not.toContain('a'.repeat(200));
  });

  it('answers 404 for UI asset names that are properties of every object', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const answer = await call(`${api.url}/ui/${name}`);
      expect([answer.status, (answer.body as { code: string }).code], name).toEqual([404, 'NOT_FOUND']);
    }
    expect(api.pod.output()).not.toMatch(/request failed/);
  });

  it('says the window, not the time left, when a principal is rate-limited', async () => {
    let answer = await call(`${api.url}/v1/stats`, { headers: withKey(keys.limited) });
    while (answer.status === 200)
      answer = await call(`${api.url}/v1/stats`, { headers: withKey(keys.limited) });
    expect(answer.status).toBe(429);
    expect((answer.body as { message: string }).message).toMatch(
      /^rate limit of 3 requests per 60 s reached; retry in/,
    );
  });
});

describe('live streams', () => {
  const open = async (key: string, signal: AbortSignal) => {
    const response = await fetch(`${api.url}/v1/stream`, { headers: withKey(key), signal });
    if (response.status !== 200) await response.text();
    return response.status;
  };

  it('counts concurrent opens before any of them waits: the caps per caller and per pod hold', async () => {
    const controller = new AbortController();
    try {
      const reader = await Promise.all(Array.from({ length: 8 }, () => open(keys.reader, controller.signal)));
      expect(reader.filter((status) => status === 200)).toHaveLength(STREAMS_PER_CALLER);
      expect(reader.filter((status) => status === 429)).toHaveLength(8 - STREAMS_PER_CALLER);
      const others = await Promise.all(
        [keys.admin, keys.sender, keys.admin, keys.sender].map((key) => open(key, controller.signal)),
      );
      expect(others.filter((status) => status === 200)).toHaveLength(POD_STREAMS - STREAMS_PER_CALLER);
      expect(others.filter((status) => status === 503)).toHaveLength(4 - (POD_STREAMS - STREAMS_PER_CALLER));
    } finally {
      controller.abort();
    }
  });

  it('counts 503 TOO_MANY_STREAMS on /metrics and logs it once a minute, never with a stack', async () => {
    const controller = new AbortController();
    try {
      const held = await Promise.all(
        [keys.reader, keys.reader, keys.admin].map((key) => open(key, controller.signal)),
      );
      expect(held).toEqual([200, 200, 200]);
      const refused = await Promise.all(
        Array.from({ length: 20 }, () => open(keys.sender, controller.signal)),
      );
      expect(refused).toEqual(Array(20).fill(503));
    } finally {
      controller.abort();
    }
    const lines = api.pod
      .output()
      .split('\n')
      .filter((line) => line.includes('TOO_MANY_STREAMS'));
    expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(1);
    expect(lines.join('\n')).not.toMatch(/"stack"|\bat .+\.(ts|js):\d+/);
    const metrics = (await call(`${api.url}/metrics`)).text;
    expect(
      sample(metrics, 'chronicle_http_request_duration_count', {
        http_route: '/v1/stream',
        http_response_status_code: '503',
      }),
    ).toBeGreaterThanOrEqual(20);
  });

  it('HEAD answers the headers and opens no stream', async () => {
    for (let i = 0; i < POD_STREAMS + 2; i++) {
      const head = await fetch(`${api.url}/v1/stream`, { method: 'HEAD', headers: withKey(keys.reader) });
      expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([
        200,
        'text/event-stream; charset=utf-8',
        '',
      ]);
    }
    // every slot is free: the streams of the test before were closed, and HEAD took none
    const controller = new AbortController();
    try {
      expect(await open(keys.reader, controller.signal)).toBe(200);
    } finally {
      controller.abort();
    }
  });
});
