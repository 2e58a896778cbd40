import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/http/index.js';
import { keys } from '../http/support/apiKeys.js';
import { call, withKey } from '../http/support/http.js';
import { startInProcessApi } from '../http/support/inProcessApi.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';
import { repoRoot, runToEnd } from '../support/processes.js';
import { chromiumMissing, openVisualiser, type VisualiserPage } from '../ui/visualiserPage.js';

// a candidate that no longer lets an order be cancelled before it is paid (test/cli/whatIfCandidates.ts)
const droppedCancel = `
import { defineChronicle } from '${join(repoRoot, 'src/index.ts')}';
import { payment, product, user } from '${join(repoRoot, 'actors/index.ts')}';
import { orderWithoutCancelBeforePayment } from '${join(repoRoot, 'test/cli/whatIfCandidates.ts')}';
export default defineChronicle({ aggregates: [orderWithoutCancelBeforePayment, payment, user, product] });
`;

/** Each CLI run loads the runtime from source: on a busy machine that alone takes tens of seconds. */
const CLI_RUNS = 300_000;

type Run = { runId: string; candidate: string; summary: { streamsDiverging: number } };
type RunPage = Run & { divergences: ({ seq: number } & Record<string, unknown>)[]; next: number | null };

let path: CommandPath;
let server: ApiServer;
let url: string;
let dir: string;
let ui: VisualiserPage | undefined;
let savedAs: string;

const get = async (route: string, key: string = keys.admin) =>
  call(`${url}${route}`, { headers: withKey(key) });

describe('saved what-if runs over HTTP and in the UI', () => {
  beforeAll(async () => {
    path = await createCommandPath();
    await path.startWorker();
    for (const id of ['wi-a', 'wi-b']) {
      expect((await path.client.send(placeOrder(id), { wait: true })).status).toBe('accepted');
      const cancel = {
        aggregateType: 'order',
        aggregateId: id,
        type: 'CancelOrder',
        payload: { reason: 'changed mind' },
      };
      expect((await path.client.send(cancel, { wait: true })).status).toBe('accepted');
    }
    dir = mkdtempSync(join(tmpdir(), 'chronicle-what-if-saved-'));
    writeFileSync(join(dir, 'dropped.config.ts'), droppedCancel);
    ({ server, url } = await startInProcessApi(path.config));
  }, CLI_RUNS);

  afterAll(async () => {
    await ui?.close();
    await server?.close();
    await path?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'given a run saved with --save, the admin lists it and pages its divergences in the order found',
    async () => {
      const run = await runToEnd('workers/cli.ts', {
        args: ['what-if', '--candidate', join(dir, 'dropped.config.ts'), '--save'],
        env: { ...path.podEnv, CHRONICLE_CONFIG: '' },
      });
      expect(run.code, run.stderr).toBe(3);
      const [first, ...printed] = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      savedAs = first.savedAs;
      expect(savedAs).toMatch(/^[0-9a-f-]{36}$/);

      const listed = await get('/v1/what-if/runs');
      expect(listed.status).toBe(200);
      const { runs } = listed.body as { runs: Run[] };
      expect(runs.map((saved) => saved.runId)).toEqual([savedAs]);
      expect(runs[0]).toMatchObject({ candidate: join(dir, 'dropped.config.ts'), summary: first.summary });

      // the divergences as the CLI printed them, two a page
      const pages: RunPage['divergences'] = [];
      let after: number | null = 0;
      while (after !== null) {
        const page = (await get(`/v1/what-if/runs/${savedAs}?after=${after}&limit=2`)).body as RunPage;
        pages.push(...page.divergences);
        after = page.next;
      }
      expect(pages.map(({ seq, ...divergence }) => divergence)).toEqual(printed);
      expect(pages.map((divergence) => divergence.seq)).toEqual(printed.map((_, index) => index + 1));
    },
    CLI_RUNS,
  );

  it('refuses a reader (403), an unknown run (404) and a malformed id (400)', async () => {
    expect((await get('/v1/what-if/runs', keys.reader)).status).toBe(403);
    expect((await get('/v1/what-if/runs/01939d3f-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await get('/v1/what-if/runs/not-a-run')).status).toBe(400);
  });

  it.skipIf(chromiumMissing)(
    "opens a divergence at the stream's chart, at the version it was decided on, stored and candidate side by side",
    async () => {
      ui = await openVisualiser(url);
      const { page } = ui;
      await ui.signIn();
      await page.click('nav button[data-view=what-if]');
      await page.click(`#what-if-runs tr[data-run="${savedAs}"] button`);
      await page.waitForSelector('#what-if-divergences tr');
      expect(await page.locator('#what-if-divergences tr').count()).toBe(4);
      await ui.screenshot('ui-what-if.png');

      // the cancellation the candidate now rejects: decided on v1, the order placed and unpaid
      await page.click('#what-if-divergences tr:has-text("now-rejected") a >> nth=0');
      await page.waitForSelector('#divergence:not([hidden])');
      await ui.waitForLit(['placed__payment__pending', 'placed__shipping__waitingForPayment']);
      expect(await page.textContent('#version')).toBe('v1 of 2');
      expect(await page.textContent('#divergence-stored')).toContain('accepted: OrderCancelled');
      expect(await page.textContent('#divergence-candidate')).toContain('rejected INVALID_TRANSITION');
      await ui.screenshot('ui-what-if-divergence.png');

      // the event the candidate machine refuses: the chart at the state it was refused in
      await page.click('nav button[data-view=what-if]');
      await page.waitForSelector('#what-if-divergences tr');
      await page.click('#what-if-divergences tr:has-text("event-refused") a >> nth=0');
      await page.waitForSelector('#divergence-candidate:has-text("OrderCancelled refused")');
      expect(await page.isVisible('#divergence')).toBe(true);
      expect(await page.textContent('#divergence-stored')).toBe('v2 OrderCancelled was appended');
      await ui.waitForLit(['placed__payment__pending', 'placed__shipping__waitingForPayment']);
      expect(await page.textContent('#version')).toBe('v1 of 2');
      expect(ui.outside).toEqual([]);
    },
  );
});
