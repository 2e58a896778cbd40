import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/http/index.js';
import { chromiumArgs } from '../../src/machines/index.js';
import { keys } from '../http/support/apiKeys.js';
import { call, withKey } from '../http/support/http.js';
import { startInProcessApi } from '../http/support/inProcessApi.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { repoRoot } from '../support/processes.js';

const CHROMIUM = '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
const title = missing
  ? `SKIPPED: ${CHROMIUM} is missing; install Debian's chromium package to run the visualiser test`
  : 'the visualiser page in headless Chromium';
if (missing) console.warn(title);

let path: CommandPath;
let server: ApiServer;
let url: string;
let context: BrowserContext;
let page: Page;
let profile: string;
const outside: string[] = [];

const send = (type: string, payload: unknown = {}) =>
  call(`${url}/v1/commands?wait=true`, {
    json: { aggregateType: 'order', aggregateId: 'ui-1', type, payload },
    headers: withKey(keys.sender),
  });

/** The ids of the lit (leaf) states, as Mermaid ids. */
const litStates = () =>
  page.$$eval('#chart g.state-active', (nodes) =>
    nodes.map((node) => /-state-([A-Za-z0-9_]+)-\d+$/.exec(node.id)?.[1]).sort(),
  );

/** Polls the page until exactly `expected` are lit. */
const waitForLit = async (expected: string[]) => {
  const wanted = [...expected].sort();
  let lit: (string | undefined)[] = [];
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
    lit = await litStates();
    if (JSON.stringify(lit) === JSON.stringify(wanted)) return;
    await page.waitForTimeout(50);
  }
  expect(lit).toEqual(wanted);
};

describe.skipIf(missing)(title, () => {
  beforeAll(async () => {
    path = await createCommandPath();
    await path.startWorker();
    ({ server, url } = await startInProcessApi(path.config));
    for (const [type, payload] of [
      ['PlaceOrder', placeOrderPayload],
      ['InitiatePayment'],
      ['ConfirmPayment'],
    ] as const) {
      expect((await send(type, payload)).status).toBe(200);
    }
    profile = mkdtempSync(join(tmpdir(), 'chronicle-ui-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1400, height: 1000 },
    });
    page = await context.newPage();
    // the page must draw with what this server serves: note any request to another host
    page.on('request', (request) => {
      if (!request.url().startsWith(url) && !request.url().startsWith('data:')) outside.push(request.url());
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await server?.close();
    await path?.close();
  });

  it('draws the order machine with the current state lit, steps back through history, and shows new events live', async () => {
    await page.goto(`${url}/ui/`);
    await page.fill('#credential', keys.admin);
    await page.click('#credentials button[type=submit]');
    await page.waitForSelector('#aggregate-type option[value=order]', { state: 'attached' });
    await page.selectOption('#aggregate-type', 'order');
    await page.fill('#aggregate-id', 'ui-1');
    await page.click('#pick button[type=submit]');

    // the chart: composite and concurrent states drawn as such, the current leaves lit
    await waitForLit(['placed__payment__paid', 'placed__shipping__waitingForShipment']);
    expect(await page.locator('#chart g.statediagram-cluster[id*="-state-placed-"]').count()).toBe(1);
    expect(await page.locator('#chart g.statediagram-cluster-alt').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#chart g.state-active-parent[id*="-state-placed__payment-"]').count()).toBe(1);
    expect(await page.locator('#events li').count()).toBe(3);
    await page.waitForSelector('#live.on');

    // time travel: back to the first event, then the second
    await page.click('#events li[data-version="1"] button');
    await waitForLit(['placed__payment__pending', 'placed__shipping__waitingForPayment']);
    await page.click('#events li[data-version="2"] button');
    await waitForLit(['placed__payment__processing', 'placed__shipping__waitingForPayment']);
    expect(await page.textContent('#version')).toBe('v2 of 3');

    // back to the head; a new event arrives live and the highlight follows it
    await page.click('#events li[data-version="3"] button');
    await waitForLit(['placed__payment__paid', 'placed__shipping__waitingForShipment']);
    expect((await send('UpdateShippingStatus', { status: 'IN_TRANSIT' })).status).toBe(200);
    await page.waitForSelector('#events li[data-version="4"]', { timeout: 15_000 });
    await waitForLit(['placed__payment__paid', 'placed__shipping__inTransit']);
    expect(await page.textContent('#events li[data-version="4"]')).toContain('OrderShippingStatusUpdated');
    expect(await litStates()).toEqual(['placed__payment__paid', 'placed__shipping__inTransit']);

    mkdirSync(join(repoRoot, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-artifacts', 'ui-order.png'), fullPage: true });
    expect(outside).toEqual([]);
  });

  it('tells a correlation as a sequence diagram across aggregates, each step opening its chart at that version', async () => {
    const placed = await call(`${url}/v1/commands?wait=true`, {
      json: {
        aggregateType: 'order',
        aggregateId: 'ui-2',
        type: 'PlaceOrder',
        payload: placeOrderPayload,
        correlationId: 'ui-story',
      },
      headers: withKey(keys.sender),
    });
    const placedEvent = (placed.body as { events: { eventId: string }[] }).events[0];
    // a reaction, as a process manager sends it: caused by the event, in its correlation
    const requested = await call(`${url}/v1/commands?wait=true`, {
      json: {
        aggregateType: 'payment',
        aggregateId: 'ui-2',
        type: 'RequestPayment',
        payload: { orderId: 'ui-2', amount: 40, method: 'CARD' },
        correlationId: 'ui-story',
        causationId: placedEvent?.eventId,
      },
      headers: withKey(keys.sender),
    });
    expect(requested.status).toBe(200);
    const requestedEvent = (requested.body as { events: { eventId: string }[] }).events[0];
    const initiated = await call(`${url}/v1/commands?wait=true`, {
      json: {
        aggregateType: 'order',
        aggregateId: 'ui-2',
        type: 'InitiatePayment',
        correlationId: 'ui-story',
        causationId: requestedEvent?.eventId,
      },
      headers: withKey(keys.sender),
    });
    expect(initiated.status).toBe(200);

    await page.goto(`${url}/ui/#story=ui-story`);
    await page.waitForSelector('#story-chart svg');
    const diagram = (await page.textContent('#story-chart svg')) ?? '';
    for (const text of [
      'order/ui-2',
      'payment/ui-2',
      'PlaceOrder ✓',
      'RequestPayment ✓',
      'v1 OrderPlaced',
      'v1 PaymentRequested',
    ])
      expect(diagram).toContain(text);
    expect(await page.locator('#story-steps li').count()).toBe(6);
    mkdirSync(join(repoRoot, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-artifacts', 'ui-story.png'), fullPage: true });

    await page.click('#story-steps a:has-text("OrderPlaced")');
    await page.waitForSelector('#view-aggregate:not([hidden])');
    await waitForLit(['placed__payment__pending', 'placed__shipping__waitingForPayment']);
    expect(await page.textContent('#version')).toBe('v1 of 2');
    expect(outside).toEqual([]);
  });

  it('shows projections and dead letters to an admin', async () => {
    await page.click('nav button[data-view=projections]');
    await page.waitForSelector('#projections tr');
    expect(await page.locator('#projections tr').count()).toBe(2);
    expect(await page.locator('#projections button', { hasText: 'Rebuild' }).count()).toBe(2);
    await page.click('nav button[data-view=dead-letters]');
    await page.waitForSelector('#view-dead-letters:not([hidden])');
    expect(await page.locator('#dead-letters tr').count()).toBe(0);
    expect(outside).toEqual([]);
  });
});
