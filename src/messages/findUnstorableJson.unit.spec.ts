import { describe, expect, it } from 'vitest';
import { findUnstorableJson, MAX_JSON_DEPTH } from './findUnstorableJson.js';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe('findUnstorableJson: what PostgreSQL jsonb cannot hold', () => {
  it('accepts ordinary JSON, including well-formed surrogate pairs and other control characters', () => {
    expect(findUnstorableJson({ a: [1, 'x', true, null, { b: '😀\t\n\u0001' }], c: -0.5 })).toBeUndefined();
    expect(findUnstorableJson(nested(MAX_JSON_DEPTH))).toBeUndefined();
  });

  it('names the path of a NUL in a string, however deep', () => {
    expect(findUnstorableJson({ payload: { items: [{ name: 'a\u0000b' }] } })).toBe(
      'payload.items[0].name: contains a NUL character (\\u0000)',
    );
  });

  it('finds lone surrogates, high or low, and bad keys', () => {
    expect(findUnstorableJson({ note: 'x\ud800' })).toBe('note: contains a lone surrogate (\\ud800)');
    expect(findUnstorableJson({ note: '\udc00x' })).toBe('note: contains a lone surrogate (\\udc00)');
    expect(findUnstorableJson({ payload: { 'k\u0000': 1 } })).toBe(
      'payload: a key contains a NUL character (\\u0000)',
    );
  });

  it('refuses what JSON cannot carry and nesting past the limit', () => {
    expect(findUnstorableJson({ n: Number.NaN })).toBe('n: NaN is not a JSON number');
    expect(findUnstorableJson({ n: Number.POSITIVE_INFINITY })).toBe('n: Infinity is not a JSON number');
    expect(findUnstorableJson({ n: 1n })).toBe('n: a bigint is not JSON');
    expect(findUnstorableJson(nested(MAX_JSON_DEPTH + 1))).toMatch(/nested deeper than 64 levels/);
    // a million levels: no stack overflow, just the answer
    expect(findUnstorableJson(nested(1_000_000))).toMatch(/nested deeper/);
  });
});
