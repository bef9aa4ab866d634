// Untrusted values (payloads, unknown fields, event data) as JSON text, safe however deeply they
// nest. JSON.parse takes any depth, but JSON.stringify recurses and throws "Maximum call stack
// size exceeded" on a value nested some thousands deep; a value deeper than MAX_DEPTH is copied
// (iteratively) with its too-deep parts replaced by "…" before it is stringified.

export const MAX_DEPTH = 64;
const CUT = '…';

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** Whether `v` nests deeper than `max` arrays/objects (iterative; stops at the first too-deep one). */
export function deeperThan(v: unknown, max: number): boolean {
  if (!isObject(v)) return false;
  const stack: Array<[object, number]> = [[v, 1]];
  while (stack.length > 0) {
    const [o, depth] = stack.pop()!;
    for (const x of Array.isArray(o) ? o : Object.values(o)) {
      if (!isObject(x)) continue;
      if (depth >= max) return true;
      stack.push([x, depth + 1]);
    }
  }
  return false;
}

/** `v` itself when it nests at most `max` deep, else a copy cut at that depth. */
export function limitDepth(v: unknown, max = MAX_DEPTH): unknown {
  if (!deeperThan(v, max)) return v;
  const copy = (o: object): Record<string, unknown> | unknown[] => (Array.isArray(o) ? [] : {});
  const root = copy(v as object);
  const stack: Array<[object, Record<string, unknown> | unknown[], number]> = [[v as object, root, 1]];
  while (stack.length > 0) {
    const [src, dst, depth] = stack.pop()!;
    const entries: Array<[string | number, unknown]> = Array.isArray(src) ? src.map((x, i) => [i, x]) : Object.entries(src);
    for (const [k, x] of entries) {
      let value: unknown = x;
      if (isObject(x)) {
        if (depth >= max) value = CUT;
        else {
          value = copy(x);
          stack.push([x, value as Record<string, unknown> | unknown[], depth + 1]);
        }
      }
      // defineProperty: a "__proto__" key from a file is data, not the prototype.
      Object.defineProperty(dst, k, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

/** JSON.stringify for untrusted values: never throws on depth. */
export function jsonText(v: unknown, indent?: number): string {
  return JSON.stringify(limitDepth(v), null, indent) ?? String(v);
}
