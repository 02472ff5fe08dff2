// JSON with object keys sorted at every level and no whitespace, so equal values always give equal bytes (the
// bootstrap pointer carries a sha512 of these bytes). Array order is kept: callers sort where order is not
// meaningful. `undefined`, function and symbol members are dropped and become null in arrays, as JSON.stringify does.
// Written to a sink piece by piece: a config of large files is never held whole, and a value may hold strings
// that are produced only while they are written (StreamedString, e.g. a file's data URL).

/** Where serialised JSON goes: a string builder, a hash, a file. */
export interface TextSink {
  write(text: string): void;
}

/**
 * A JSON string value made piece by piece as it is written. Pieces are escaped like any string; a piece must not
 * end inside a surrogate pair.
 */
export abstract class StreamedString {
  abstract pieces(): Iterable<string>;
}

// Small tokens are joined before they reach the sink; a piece this long or longer goes through on its own.
const FLUSH_AT = 64 * 1024;
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
// A canonical array index ("0", "17"; not "01"): objects list these first, in numeric order, then the other keys in
// insertion order. JSON.stringify of a key-sorted object therefore puts them first: so does this writer.
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;
const isArrayIndex = (key: string) => ARRAY_INDEX.test(key) && Number(key) < 2 ** 32 - 1;

function sortedKeys(value: object): string[] {
  const keys = Object.keys(value).sort();
  const indices = keys.filter(isArrayIndex);
  if (indices.length === 0) return keys;
  return [...indices.sort((a, b) => Number(a) - Number(b)), ...keys.filter((key) => !isArrayIndex(key))];
}

const skipped = (member: unknown) => member === undefined || typeof member === "function" || typeof member === "symbol";

/** Writes `value` as stable JSON to `sink`, byte for byte what stableStringify returns. */
export function writeStableJson(value: unknown, sink: TextSink): void {
  let pending = "";
  const out = (text: string) => {
    if (text.length >= FLUSH_AT) {
      if (pending) sink.write(pending);
      pending = "";
      sink.write(text);
    } else if ((pending += text).length >= FLUSH_AT) {
      sink.write(pending);
      pending = "";
    }
  };
  const write = (node: unknown): void => {
    if (node instanceof StreamedString) {
      out('"');
      for (const piece of node.pieces()) out(NEEDS_ESCAPE.test(piece) ? JSON.stringify(piece).slice(1, -1) : piece);
      out('"');
    } else if (Array.isArray(node)) {
      out("[");
      node.forEach((item, index) => {
        if (index > 0) out(",");
        if (skipped(item)) out("null");
        else write(item);
      });
      out("]");
    } else if (node !== null && typeof node === "object") {
      out("{");
      let first = true;
      for (const key of sortedKeys(node)) {
        const member = (node as Record<string, unknown>)[key];
        if (skipped(member)) continue;
        out(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
        first = false;
        write(member);
      }
      out("}");
    } else out(skipped(node) ? "null" : JSON.stringify(node));
  };
  write(value);
  if (pending) sink.write(pending);
}

export function stableStringify(value: unknown): string {
  return collectText((sink) => writeStableJson(value, sink));
}

/** What `write` writes to its sink, as one string. */
export function collectText(write: (sink: TextSink) => void): string {
  const parts: string[] = [];
  write({ write: (text) => parts.push(text) });
  return parts.join("");
}
