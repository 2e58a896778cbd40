import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { chromiumArgs } from '../../src/machines/index.js';
import { keys } from '../http/support/apiKeys.js';
import { repoRoot } from '../support/processes.js';

const CHROMIUM = '/usr/bin/chromium';

/** Whether the visualiser specs can run here, and the title that says so when they cannot. */
export const chromiumMissing = !existsSync(CHROMIUM);
export const visualiserTitle = (what: string) =>
  chromiumMissing
    ? `SKIPPED: ${CHROMIUM} is missing; install Debian's chromium package to run the visualiser test`
    : what;

/** The visualiser in headless Chromium, against the API at `url`. */
export type VisualiserPage = {
  readonly page: Page;
  /** Requests the page made to anywhere but this server: it must draw with what the server serves. */
  readonly outside: string[];
  /** Opens the UI and signs in with the admin key. */
  signIn(): Promise<void>;
  /** The ids of the lit (leaf) states, as Mermaid ids. */
  litStates(): Promise<(string | undefined)[]>;
  /** Polls the page until exactly `expected` are lit. */
  waitForLit(expected: string[]): Promise<void>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
};

export const openVisualiser = async (url: string): Promise<VisualiserPage> => {
  const profile = mkdtempSync(join(tmpdir(), 'chronicle-ui-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1400, height: 1000 },
  });
  const page = await context.newPage();
  const outside: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(url) && !request.url().startsWith('data:')) outside.push(request.url());
  });
  const litStates = () =>
    page.$$eval('#chart g.state-active', (nodes) =>
      nodes.map((node) => /-state-([A-Za-z0-9_]+)-\d+$/.exec(node.id)?.[1]).sort(),
    );
  return {
    page,
    outside,
    signIn: async () => {
      await page.goto(`${url}/ui/`);
      await page.fill('#credential', keys.admin);
      await page.click('#credentials button[type=submit]');
    },
    litStates,
    waitForLit: async (expected) => {
      const wanted = [...expected].sort();
      let lit: (string | undefined)[] = [];
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
        lit = await litStates();
        if (JSON.stringify(lit) === JSON.stringify(wanted)) return;
        await page.waitForTimeout(50);
      }
      expect(lit).toEqual(wanted);
    },
    screenshot: async (name) => {
      mkdirSync(join(repoRoot, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: join(repoRoot, 'test-artifacts', name), fullPage: true });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};
