import { describe, expect, it } from 'vitest';
import { defaultNatsConfig, loadNatsConfig } from './natsConfig.js';

describe('loadNatsConfig', () => {
  it('defaults to the local server, stream CHRONICLE_EVENTS, every event type', () => {
    expect(loadNatsConfig({})).toEqual(defaultNatsConfig);
    expect(loadNatsConfig({}).eventTypes).toBeUndefined();
  });

  it('reads the event types to publish as a comma list', () => {
    expect(loadNatsConfig({ CHRONICLE_NATS_EVENT_TYPES: ' OrderPlaced, OrderPaid ,' }).eventTypes).toEqual([
      'OrderPlaced',
      'OrderPaid',
    ]);
  });

  it('refuses a stream name or subject prefix NATS cannot take, and a malformed number', () => {
    expect(() => loadNatsConfig({ CHRONICLE_NATS_STREAM: 'my.events' })).toThrow(/CHRONICLE_NATS_STREAM/);
    expect(() => loadNatsConfig({ CHRONICLE_NATS_SUBJECT_PREFIX: 'acme.>' })).toThrow(/SUBJECT_PREFIX/);
    expect(() => loadNatsConfig({ CHRONICLE_NATS_PARTITIONS: '0' })).toThrow(/CHRONICLE_NATS_PARTITIONS/);
  });
});
