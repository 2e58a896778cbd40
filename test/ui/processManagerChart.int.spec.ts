import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/http/index.js';
import { keys } from '../http/support/apiKeys.js';
import { call, withKey } from '../http/support/http.js';
import { startInProcessApi } from '../http/support/inProcessApi.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { waitFor } from '../support/waitFor.js';
import { chromiumMissing, openVisualiser, type VisualiserPage, visualiserTitle } from './visualiserPage.js';

const title = visualiserTitle('a process-manager instance in the visualiser, like an aggregate');
if (chromiumMissing) console.warn(title);

describe.skipIf(chromiumMissing)(title, () => {
  let path: CommandPath;
  let server: ApiServer;
  let url: string;
  let ui: VisualiserPage;

  const send = async (aggregateType: string, type: string, payload: unknown = {}) => {
    const answer = await call(`${url}/v1/commands?wait=true`, {
      json: { aggregateType, aggregateId: 'ui-pm-1', type, payload, correlationId: 'ui-pm-story' },
      headers: withKey(keys.sender),
    });
    expect(answer.status).toBe(200);
  };
  const instanceAt = (version: number) =>
    waitFor(
      async () => {
        const answer = await call(`${url}/v1/process-managers/order-payment/ui-pm-1`, {
          headers: withKey(keys.reader),
        });
        return answer.status === 200 && (answer.body as { version: number }).version >= version;
      },
      { what: `order-payment/ui-pm-1 at v${version}` },
    );

  beforeAll(async () => {
    path = await createCommandPath();
    await path.startWorker();
    await path.startProcessManagers('pm-ui');
    ({ server, url } = await startInProcessApi(path.config));
    // the saga of one order, its capture sent by "the provider" once the payment is requested
    await send('order', 'PlaceOrder', placeOrderPayload);
    await instanceAt(2);
    await send('payment', 'AuthorizePayment', { authorizationCode: 'A' });
    await send('payment', 'CapturePayment');
    await instanceAt(3);
    ui = await openVisualiser(url);
  });
  afterAll(async () => {
    await ui?.close();
    await server?.close();
    await path?.close();
  });

  it("draws the instance's chart from the story's step at that version, its history, decisions and deadline", async () => {
    const { page } = ui;
    await ui.signIn();
    await page.waitForSelector(
      '#aggregate-type optgroup[label="Process managers"] option[value=order-payment]',
      {
        state: 'attached',
      },
    );
    await page.goto(`${url}/ui/#story=ui-pm-story`);
    await page.waitForSelector('#story-chart svg');
    const diagram = (await page.textContent('#story-chart svg')) ?? '';
    for (const text of ['order-payment/ui-pm-1', 'v1 OrderPlacedHandled', 'ConfirmPayment ✓'])
      expect(diagram).toContain(text);
    // the process manager's commands are arrows from its instance, not from the events that caused them
    const { steps } = (await call(`${url}/v1/correlations/ui-pm-story`, { headers: withKey(keys.reader) }))
      .body as { steps: unknown[] };
    // a string, so the test runner's transform leaves the browser's own import() alone
    const text: string = await page.evaluate(
      `import('/ui/storyView.js').then((view) => view.storyDiagram(${JSON.stringify(steps)}))`,
    );
    const alias = (actor: string) => new RegExp(`participant (p\\d+) as ${actor}\n`).exec(text)?.[1];
    const [pm, order, payment] = ['order-payment/ui-pm-1', 'order/ui-pm-1', 'payment/ui-pm-1'].map(alias);
    for (const line of [
      `client->>${order}: PlaceOrder ✓`,
      `${pm}->>${payment}: RequestPayment ✓`,
      `${pm}->>${order}: InitiatePayment ✓`,
      `${pm}->>${order}: ConfirmPayment ✓`,
    ])
      expect(text).toContain(line);

    // the process manager's first step opens its chart at v1: waiting for the payment, its deadline pending
    await page.click('#story-steps a:has-text("order-payment/ui-pm-1 v1 OrderPlacedHandled")');
    await page.waitForSelector('#view-aggregate:not([hidden])');
    await ui.waitForLit(['awaitingPayment']);
    await ui.screenshot('ui-process-manager-v1.png');
    expect(await page.textContent('#version')).toBe('v1 of 3');
    expect(await page.textContent('#events li[data-version="1"]')).toContain(
      'v1 OrderPlacedHandled → RequestPayment, schedule PAYMENT_TIMEOUT',
    );
    expect(await page.textContent('#events li[data-version="3"]')).toContain(
      'v3 PaymentCapturedHandled → cancel PAYMENT_TIMEOUT, ConfirmPayment',
    );
    const shown = JSON.parse((await page.textContent('#context')) ?? '{}');
    expect(shown).toMatchObject({ context: { orderId: 'ui-pm-1', amount: 40 } });
    expect(Object.keys(shown.deadlines)).toEqual(['PAYMENT_TIMEOUT']);

    // forward through its history to the head: paid, nothing pending
    await page.click('#events li[data-version="3"] button');
    await ui.waitForLit(['paid']);
    expect(JSON.parse((await page.textContent('#context')) ?? '{}').deadlines).toEqual({});
    // its ends drawn as final (failed, refunded), and no two edge labels on top of each other
    // (PaymentTimedOut and OrderCancelled both lead from awaitingPayment to cancelled)
    // (Mermaid draws one end marker per composite: both lead to the chart's own)
    expect(await page.locator('#chart g[id*="-state-root_end-"]').count()).toBe(1);
    const labels = await page.$$eval('#chart g.edgeLabel', (nodes) =>
      nodes
        .map((node) => {
          const box = node.getBoundingClientRect();
          return { text: node.textContent ?? '', x: box.x, y: box.y, width: box.width, height: box.height };
        })
        .filter((box) => box.width > 0 && box.text.trim() !== ''),
    );
    expect(labels.map((label) => label.text).join(' ')).toContain('PaymentTimedOut');
    expect(labels.map((label) => label.text).join(' ')).toContain('OrderCancelled');
    const overlapping = labels.flatMap((a, i) =>
      labels
        .slice(i + 1)
        .filter(
          (b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height,
        )
        .map((b) => `${a.text} / ${b.text}`),
    );
    await ui.screenshot('ui-process-manager.png');
    expect(overlapping).toEqual([]);
    expect(ui.outside).toEqual([]);
  });

  it('opens an instance picked by process manager and key, at its current state', async () => {
    const { page } = ui;
    await page.click('nav button[data-view=aggregate]');
    await page.selectOption('#aggregate-type', 'order');
    await page.fill('#aggregate-id', 'ui-pm-1');
    await page.click('#pick button[type=submit]');
    await ui.waitForLit(['placed__payment__paid', 'placed__shipping__waitingForShipment']);
    await page.selectOption('#aggregate-type', 'order-payment');
    await page.click('#pick button[type=submit]');
    await ui.waitForLit(['paid']);
    expect(await page.textContent('#version')).toBe('v3 of 3');
    expect(ui.outside).toEqual([]);
  });
});
