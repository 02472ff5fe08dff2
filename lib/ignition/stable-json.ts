/**
 * JSON with object keys sorted at every level and no whitespace, so equal values always give equal bytes
 * (the bootstrap pointer carries a sha512 of these bytes). Array order is kept: callers sort where order is
 * not meaningful. `undefined` members are dropped, as JSON.stringify does.
 *
 * Written as pieces joined once: the large strings of a config (base64 data URLs, tens of MiB for a big fakeroot)
 * go into the result by reference instead of through a sorted copy of the whole tree and JSON.stringify's own
 * buffers. Same bytes as JSON.stringify of the key-sorted value.
 */
export function stableStringify(value: unknown): string {
  const pieces: string[] = [];
  write(value, pieces, false);
  return pieces.join("");
}

// What JSON.stringify escapes in a string: quote, backslash, control characters, lone surrogates.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

const isArrayIndex = (key: string) => /^(0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295;

// The order JSON.stringify gives a key-sorted object: JavaScript lists integer-like keys first, ascending, whatever
// the insertion order; then the others as sorted.
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value).sort();
  const indices = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  return indices.length === 0 ? keys : [...indices, ...keys.filter((k) => !isArrayIndex(k))];
}

function write(value: unknown, out: string[], inArray: boolean): void {
  if (typeof value === "string") {
    if (NEEDS_ESCAPE.test(value)) out.push(JSON.stringify(value));
    else out.push('"', value, '"');
    return;
  }
  if (value === null || typeof value !== "object") {
    // Numbers, booleans; undefined (and functions, symbols) become null in arrays, as JSON.stringify writes them.
    const text = JSON.stringify(value);
    out.push(text === undefined ? (inArray ? "null" : "") : text);
    return;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    write((value as { toJSON: () => unknown }).toJSON(), out, inArray);
    return;
  }
  if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item, i) => {
      if (i > 0) out.push(",");
      write(item, out, true);
    });
    out.push("]");
    return;
  }
  out.push("{");
  let first = true;
  for (const key of sortedKeys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
    if (!first) out.push(",");
    first = false;
    out.push(JSON.stringify(key), ":");
    write(member, out, false);
  }
  out.push("}");
}
