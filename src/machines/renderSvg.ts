import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPathFromEnv } from '../config/index.js';
import { ChronicleError } from '../errors/index.js';

/** What this machine's closed network needs: no background requests, no sandbox as root. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

type Playwright = typeof import('playwright-core');

/**
 * Renders Mermaid text to SVG the way the visualiser does: Mermaid's browser build in headless
 * Chromium (Mermaid needs a DOM to lay text out). Needs playwright-core (a dev dependency) and a
 * Chromium; says so when either is missing.
 */
export const renderMermaidSvg = async (text: string): Promise<string> => {
  const executablePath = chromiumPathFromEnv();
  if (!existsSync(executablePath)) {
    throw new ChronicleError(
      'CONFIGURATION',
      `no Chromium at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  let playwright: Playwright;
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new ChronicleError(
      'CONFIGURATION',
      'writing SVG needs the playwright-core package (npm install playwright-core)',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'chronicle-viz-'));
  const context = await playwright.chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: chromiumArgs,
  });
  try {
    const page = await context.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js') });
    return await page.evaluate(async (source) => {
      const { mermaid } = globalThis as unknown as {
        mermaid: {
          initialize(config: object): void;
          render(id: string, text: string): Promise<{ svg: string }>;
        };
      };
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', htmlLabels: false });
      return (await mermaid.render('machine', source)).svg;
    }, text);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
};
