import { describe, expect, it } from 'vitest';
import { DEFAULT_SHARDS, defaultConfig, loadConfig } from './chronicleConfig.js';

describe('the shard count setting says whether it was chosen', () => {
  it('is the default when CHRONICLE_SHARDS is unset or empty, and a new deployment then gets 32', () => {
    expect(loadConfig({}).shards).toBe('default');
    expect(loadConfig({ CHRONICLE_SHARDS: ' ' }).shards).toBe('default');
    expect(defaultConfig.shards).toBe('default');
    expect(DEFAULT_SHARDS).toBe(32);
  });

  it('is chosen when CHRONICLE_SHARDS is set, even to the default count', () => {
    expect(loadConfig({ CHRONICLE_SHARDS: '32' }).shards).toBe(32);
    expect(loadConfig({ CHRONICLE_SHARDS: '8' }).shards).toBe(8);
  });

  it('refuses a CHRONICLE_SHARDS that is not a positive integer', () => {
    expect(() => loadConfig({ CHRONICLE_SHARDS: '0' })).toThrow(
      'CHRONICLE_SHARDS must be a positive integer, got "0"',
    );
  });
});
