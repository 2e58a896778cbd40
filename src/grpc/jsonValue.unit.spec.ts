import { describe, expect, it } from 'vitest';
import { peerKey } from './callBudget.js';
import { fromProtoValue, type ProtoValue, toProtoValue } from './jsonValue.js';

/** As proto-loader decodes a Value with `oneofs: true`: the member set, and `kind` naming it. */
const decoded = (value: ProtoValue): ProtoValue => {
  const [member, inner] = Object.entries(value)[0] as [string, unknown];
  if (member === 'structValue') {
    const fields = (inner as { fields: Record<string, ProtoValue> }).fields;
    return {
      kind: member,
      structValue: { fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, decoded(v)])) },
    };
  }
  if (member === 'listValue')
    return { kind: member, listValue: { values: (inner as { values: ProtoValue[] }).values.map(decoded) } };
  return { kind: member, [member]: inner };
};

describe('JSON as google.protobuf.Value', () => {
  it('round-trips what a payload or an event holds', () => {
    const json = { a: 1.5, b: 'x', c: [true, null, { d: [] }], e: {}, f: -0 };
    expect(fromProtoValue(decoded(toProtoValue(json)))).toEqual(json);
    expect(fromProtoValue(decoded(toProtoValue(null)))).toBeNull();
  });

  it('leaves out undefined members, as JSON does', () => {
    expect(fromProtoValue(decoded(toProtoValue({ a: undefined, b: 1 })))).toEqual({ b: 1 });
  });

  it('reads a Value with no kind set as null, and keeps __proto__ a plain key', () => {
    expect(fromProtoValue({})).toBeNull();
    const parsed = fromProtoValue({
      kind: 'structValue',
      structValue: { fields: { ['__proto__']: { kind: 'stringValue', stringValue: 'x' } } },
    }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
  });

  it('refuses nesting past 200 levels as a bad request, before it could exhaust the stack', () => {
    let value: ProtoValue = { kind: 'numberValue', numberValue: 1 };
    for (let i = 0; i < 300; i++) value = { kind: 'listValue', listValue: { values: [value] } };
    expect(() => fromProtoValue(value)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
  });
});

describe('a peer as a rate-limit key', () => {
  it('is its address without the port', () => {
    expect(peerKey('127.0.0.1:50123')).toBe('ip:127.0.0.1');
    expect(peerKey('[::1]:50123')).toBe('ip:::1');
  });
});
