/**
 * Nesting deeper than this is refused: PostgreSQL's jsonb stops with "stack depth limit exceeded"
 * somewhere past ten thousand levels, and Node's JSON.stringify overflows its stack well before a
 * megabyte of brackets; no command needs more than a few levels.
 */
export const MAX_JSON_DEPTH = 64;

// a NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one
// biome-ignore lint/suspicious/noControlCharactersInRegex: the NUL is exactly what this looks for
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const textProblem = (text: string): string | undefined => {
  const found = UNSTORABLE_TEXT.exec(text);
  if (!found) return undefined;
  return found[0] === '\u0000'
    ? 'contains a NUL character (\\u0000)'
    : `contains a lone surrogate (\\u${found[0].charCodeAt(0).toString(16)})`;
};

const pathOf = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/**
 * The first thing in `value` that the event store cannot hold, as "path: problem", or undefined.
 * PostgreSQL's jsonb refuses a NUL or a lone UTF-16 surrogate in any string or key, and JSON has no
 * NaN, Infinity, bigint or function; an append that met one would fail however often it is retried,
 * holding its shard. Walked without recursion, so no input can overflow the stack.
 */
export const findUnstorableJson = (value: unknown, root = ''): string | undefined => {
  const pending: { readonly value: unknown; readonly path: string; readonly depth: number }[] = [
    { value, path: root, depth: 0 },
  ];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const where = item.path || 'the value';
    const found = item.value;
    const kind = typeof found;
    switch (kind) {
      case 'string': {
        const problem = textProblem(found as string);
        if (problem) return `${where}: ${problem}`;
        break;
      }
      case 'number':
        if (!Number.isFinite(found)) return `${where}: ${found} is not a JSON number`;
        break;
      case 'boolean':
      case 'undefined':
        break;
      case 'object': {
        if (found === null) break;
        const container = found as object;
        if (item.depth >= MAX_JSON_DEPTH) return `${where}: nested deeper than ${MAX_JSON_DEPTH} levels`;
        const depth = item.depth + 1;
        if (Array.isArray(container)) {
          for (const [index, element] of container.entries())
            pending.push({ value: element, path: pathOf(item.path, index), depth });
          break;
        }
        for (const [key, element] of Object.entries(container)) {
          const problem = textProblem(key);
          if (problem) return `${where}: a key ${problem}`;
          pending.push({ value: element, path: pathOf(item.path, key), depth });
        }
        break;
      }
      case 'bigint':
      case 'function':
      case 'symbol':
        return `${where}: a ${kind} is not JSON`;
      default:
        return kind satisfies never;
    }
  }
  return undefined;
};
