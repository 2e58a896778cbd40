import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { runToEnd } from '../support/processes.js';

describe('the chronicle command line', () => {
  let path: CommandPath;
  beforeAll(async () => {
    path = await createCommandPath();
    await path.startWorker();
  });
  afterAll(() => path.close());

  const chronicle = (...args: string[]) => runToEnd('workers/cli.ts', { env: path.podEnv, args });

  it('migrate reports an up-to-date schema', async () => {
    const result = await chronicle('migrate');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ created: false, applied: [] });
  });

  it('send --wait prints the accepted result and exits 0', async () => {
    const result = await chronicle(
      'send',
      'order',
      'cli-1',
      'PlaceOrder',
      '--payload',
      JSON.stringify(placeOrderPayload),
      '--command-id',
      'cli-cmd-1',
      '--wait',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'accepted',
      commandId: 'cli-cmd-1',
      version: 1,
    });
  });

  it('send of a rejected command prints the rejection and exits 2', async () => {
    const result = await chronicle('send', 'order', 'cli-1', 'ConfirmPayment', '--wait');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'rejected', code: 'INVALID_TRANSITION' });
  });

  it('send without --wait answers an unknown aggregate or a bad payload at once and enqueues nothing', async () => {
    const cases: [[string, string, string, ...string[]], string][] = [
      [['spaceship', 'cli-2', 'Launch'], 'UNKNOWN_AGGREGATE'],
      [['order', 'cli-2', 'TeleportOrder'], 'UNKNOWN_COMMAND'],
      [['order', 'cli-2', 'PlaceOrder', '--payload', '{"quantity":0}'], 'VALIDATION'],
    ];
    for (const [[type, id, command, ...rest], code] of cases) {
      const commandId = `cli-bad-${code.toLowerCase().replaceAll('_', '-')}`;
      const result = await chronicle('send', type, id, command, ...rest, '--command-id', commandId);
      expect([result.code, JSON.parse(result.stdout)], result.stderr).toEqual([
        2,
        expect.objectContaining({ status: 'rejected', commandId, code }),
      ]);
      expect(await path.client.status(commandId)).toMatchObject({ status: 'unknown' });
    }
  });

  it('events prints one JSON event per line with its ids', async () => {
    const result = await chronicle('events', 'order', 'cli-1');
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      version: 1,
      type: 'OrderPlaced',
      data: { quantity: 2 },
      metadata: { commandId: 'cli-cmd-1', correlationId: 'cli-cmd-1', causationId: 'cli-cmd-1' },
    });
  });

  it('state prints value, context and version; an unknown aggregate exits 2 with a message', async () => {
    const found = await chronicle('state', 'order', 'cli-1');
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject({
      value: { placed: { payment: 'pending', shipping: 'waitingForPayment' } },
      version: 1,
    });
    const missing = await chronicle('state', 'order', 'cli-nobody');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/order\/cli-nobody does not exist/);
  });

  it('bad usage exits 1 with the usage text', async () => {
    const noArgs = await chronicle('send', 'order');
    expect(noArgs.code).toBe(1);
    expect(noArgs.stderr).toMatch(/usage: chronicle/);
    const badJson = await chronicle('send', 'order', 'x', 'PlaceOrder', '--payload', '{nope');
    expect(badJson.code).toBe(1);
    expect(badJson.stderr).toMatch(/--payload is not valid JSON/);
  });
});
