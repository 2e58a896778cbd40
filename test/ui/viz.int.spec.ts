import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aggregates, order, orderPayment, processManagers } from '../../actors/index.js';
import { vizCommand } from '../../src/cli/index.js';
import { describeMachine, toMermaid } from '../../src/machines/index.js';

const missing = !existsSync('/usr/bin/chromium');

describe('chronicle viz', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the Mermaid text the API serves', async () => {
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    expect(await vizCommand(aggregates)(['order'])).toBe(0);
    expect(printed.join('')).toBe(toMermaid(describeMachine(order)));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await vizCommand(aggregates)(['spaceship'])).toBe(2);
  });

  it("prints a process manager's machine by its name", async () => {
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    expect(await vizCommand(aggregates, processManagers)(['order-payment'])).toBe(0);
    expect(printed.join('')).toBe(toMermaid(describeMachine(orderPayment)));
    expect(printed.join('')).toContain('idle --> awaitingPayment : OrderPlaced');
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    expect(await vizCommand(aggregates)(['order-payment'])).toBe(2);
    expect(errors.join('')).toContain('known: order, payment, user, product');
  });

  it.skipIf(missing)(
    missing ? 'SKIPPED: /usr/bin/chromium is missing, so no SVG' : 'writes an SVG with --out',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'chronicle-viz-test-'));
      try {
        vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
        const out = join(dir, 'order.svg');
        expect(await vizCommand(aggregates)(['order', '--out', out])).toBe(0);
        const svg = readFileSync(out, 'utf8');
        expect(svg.startsWith('<svg')).toBe(true);
        expect(svg).toContain('waitingForShipment');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
