import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projections } from '../../actors/projections/index.js';
import type { ApiServer } from '../../src/http/index.js';
import { keys } from '../http/support/apiKeys.js';
import { call, withKey } from '../http/support/http.js';
import { startInProcessApi } from '../http/support/inProcessApi.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { chromiumMissing, openVisualiser, type VisualiserPage, visualiserTitle } from './visualiserPage.js';

const title = visualiserTitle('the visualiser page in headless Chromium');
if (chromiumMissing) console.warn(title);

let path: CommandPath;
let server: ApiServer;
let url: string;
let ui: VisualiserPage;

const send = (type: string, payload: unknown = {}) =>
  call(`${url}/v1/commands?wait=true`, {
    json: { aggregateType: 'order', aggregateId: 'ui-1', type, payload },
    headers: withKey(keys.sender),
  });

describe.skipIf(chromiumMissing)(title, () => {
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
    ui = await openVisualiser(url);
  });

  afterAll(async () => {
    await ui?.close();
    await server?.close();
    await path?.close();
  });

  it('draws the order machine with the current state lit, steps back through history, and shows new events live', async () => {
    const { page, waitForLit, litStates } = ui;
    await ui.signIn();
    // the start page lists what is there, by type, newest first; the order opens from it
    const recentOrder = '#recent-lists section[data-type=order] a:has-text("ui-1")';
    await page.waitForSelector(recentOrder);
    expect(await page.locator('#recent-lists section[data-kind=process-manager]').count()).toBe(1);
    await page.click(recentOrder);

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

    await ui.screenshot('ui-order.png');
    expect(ui.outside).toEqual([]);
  });

  it('opens on the streams there are, newest first, finds one by id, and links its chart to the stories of its commands', async () => {
    const { page } = ui;
    for (const id of ['ui-older', 'ui-newer'])
      expect(
        (
          await call(`${url}/v1/commands?wait=true`, {
            json: { aggregateType: 'order', aggregateId: id, type: 'PlaceOrder', payload: placeOrderPayload },
            headers: withKey(keys.sender),
          })
        ).status,
      ).toBe(200);
    await page.goto(`${url}/ui/`);
    const orders = '#recent-lists section[data-type=order] a';
    await page.waitForSelector(`${orders}:has-text("ui-newer")`);
    const listed = await page.locator(orders).allTextContents();
    expect(listed.indexOf('ui-newer')).toBeLessThan(listed.indexOf('ui-older'));
    expect(listed.indexOf('ui-older')).toBeLessThan(listed.indexOf('ui-1'));
    await ui.screenshot('ui-start.png');

    await page.fill('#search-id', 'ui-1');
    await page.click('#search button[type=submit]');
    await page.waitForSelector('#search-results a');
    expect(await page.locator('#search-results a').allTextContents()).toEqual(['order/ui-1']);
    await page.click('#search-results a');
    await page.waitForSelector('#view-aggregate:not([hidden])');
    await page.waitForSelector('#events li[data-version="4"]');

    // every command of ui-1 was its own story (no correlation id given): one link per correlation
    const stories = page.locator('#stories li');
    expect(await stories.count()).toBe(4);
    // the order's terminal states are drawn as final: `cancelled` leads to the chart's end marker,
    // `delivered` to its region's (Mermaid draws one per composite)
    expect(await page.locator('#chart g[id*="-state-root_end-"]').count()).toBe(1);
    expect(await page.locator('#chart g[id*="_end-"]').count()).toBe(2);
    await stories.first().locator('a').click();
    await page.waitForSelector('#view-story:not([hidden])');
    await page.waitForSelector('#story-steps li');
    expect(await page.textContent('#story-steps')).toContain('PlaceOrder');
    expect(ui.outside).toEqual([]);
  });

  it('tells a correlation as a sequence diagram across aggregates, each step opening its chart at that version', async () => {
    const { page, waitForLit } = ui;
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
    await ui.screenshot('ui-story.png');

    await page.click('#story-steps a:has-text("OrderPlaced")');
    await page.waitForSelector('#view-aggregate:not([hidden])');
    await waitForLit(['placed__payment__pending', 'placed__shipping__waitingForPayment']);
    expect(await page.textContent('#version')).toBe('v1 of 2');
    expect(ui.outside).toEqual([]);
  });

  it('shows projections and dead letters to an admin', async () => {
    const { page } = ui;
    await page.click('nav button[data-view=projections]');
    await page.waitForSelector('#projections tr');
    // one row and one Rebuild per projection of the sample (the outbox is not started here)
    expect(await page.locator('#projections tr').count()).toBe(projections.length);
    expect(await page.locator('#projections button', { hasText: 'Rebuild' }).count()).toBe(
      projections.length,
    );
    await page.click('nav button[data-view=dead-letters]');
    await page.waitForSelector('#view-dead-letters:not([hidden])');
    expect(await page.locator('#dead-letters tr').count()).toBe(0);
    expect(ui.outside).toEqual([]);
  });
});
