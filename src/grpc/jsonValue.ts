import { badRequest } from '../http/index.js';

/** `google.protobuf.Value` as proto-loader gives and takes it (one member of its `kind` set). */
export type ProtoValue = {
  readonly nullValue?: 'NULL_VALUE' | 0;
  readonly numberValue?: number;
  readonly stringValue?: string;
  readonly boolValue?: boolean;
  readonly structValue?: ProtoStruct | null;
  readonly listValue?: { readonly values?: readonly ProtoValue[] } | null;
  readonly kind?: string;
};

/** `google.protobuf.Struct`. */
export type ProtoStruct = { readonly fields?: Readonly<Record<string, ProtoValue>> };

/** Deeper than any payload the precheck lets through (64), shallow enough to never exhaust the stack. */
const MAX_DEPTH = 200;

/** A JSON value as `google.protobuf.Value`; `undefined` members are left out, as JSON.stringify does. */
export const toProtoValue = (json: unknown): ProtoValue => {
  if (json === null || json === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof json === 'number') return { numberValue: json };
  if (typeof json === 'string') return { stringValue: json };
  if (typeof json === 'boolean') return { boolValue: json };
  if (Array.isArray(json)) return { listValue: { values: json.map(toProtoValue) } };
  return { structValue: toProtoStruct(json as Record<string, unknown>) };
};

export const toProtoStruct = (json: Readonly<Record<string, unknown>>): ProtoStruct => ({
  fields: Object.fromEntries(
    Object.entries(json)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, toProtoValue(value)]),
  ),
});

const fromStruct = (struct: ProtoStruct, depth: number): Record<string, unknown> => {
  const object: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(struct.fields ?? {})) {
    // a key named __proto__ stays a plain key, as JSON.parse keeps it
    Object.defineProperty(object, key, {
      value: fromValue(value, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
};

const fromValue = (value: ProtoValue, depth: number): unknown => {
  if (depth > MAX_DEPTH) throw badRequest(`payload: nested deeper than ${MAX_DEPTH} levels`);
  switch (value.kind) {
    case 'numberValue':
      return value.numberValue;
    case 'stringValue':
      return value.stringValue;
    case 'boolValue':
      return value.boolValue;
    case 'structValue':
      return fromStruct(value.structValue ?? {}, depth);
    case 'listValue':
      return (value.listValue?.values ?? []).map((item) => fromValue(item, depth + 1));
    default:
      // nullValue, or a Value with no kind set: JSON null, as the protobuf JSON mapping reads it
      return null;
  }
};

/** A `google.protobuf.Value` as received, as JSON. */
export const fromProtoValue = (value: ProtoValue): unknown => fromValue(value, 0);
