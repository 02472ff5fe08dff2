// JSON text as people write it: a syntax error names its line and column, not just a character offset.

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

/** Line and column (1-based) of a character offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * How deeply JSON people send may nest. Specs and Ignition configs nest a handful of levels; code that walks a parsed
 * value (JSON.stringify among it) recurses once per level, and a few hundred KiB of brackets overflow its stack.
 */
export const MAX_JSON_DEPTH = 64;

/** Where JSON text first nests deeper than MAX_JSON_DEPTH ([ and { outside strings), found without parsing it; null when it does not. */
export function tooDeepAt(text: string): number | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if (c === "}" || c === "]") depth--;
  }
  return null;
}

/** Whether a value (parsed JSON, or a form's values) nests deeper than MAX_JSON_DEPTH: walked without recursion, stopping there. */
export function nestsTooDeep(value: unknown): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== "object" || node === null) continue;
    if (depth === MAX_JSON_DEPTH) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/** JSON text parsed, or why not with its line and column: not JSON, or nested deeper than MAX_JSON_DEPTH. */
export function parseJsonText(text: string): JsonParse {
  const deep = tooDeepAt(text);
  if (deep !== null) {
    const { line, column } = lineAndColumn(text, deep);
    return { ok: false, message: `nests deeper than ${MAX_JSON_DEPTH} levels at line ${line}, column ${column}`, line, column };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const raw = (error as Error).message;
    // V8 names the offset ("… at position 14"), or the token ("Unexpected token ']', "…" is not valid JSON"),
    // or neither ("Unexpected end of JSON input": the end).
    const position = /at position (\d+)/.exec(raw);
    const token = /^Unexpected token '(.)'/.exec(raw);
    const offset = position ? Number(position[1]) : token ? unexpectedTokenOffset(text, token[1]) : text.length;
    const { line, column } = lineAndColumn(text, offset);
    const what = token ? `Unexpected token '${token[1]}'` : raw.replace(/\s*(in JSON )?at position \d+[\s\S]*$/, "");
    return { ok: false, message: `is not valid JSON: ${what} at line ${line}, column ${column}`, line, column };
  }
}

/** Where a value was expected but `char` came: its first place outside strings after `[`, `,`, `:` or at the start. */
function unexpectedTokenOffset(text: string, char: string): number {
  let inString = false;
  let previous = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === char && (previous === "" || "[,:".includes(previous))) return i;
    if (c === '"') inString = true;
    if (!/\s/.test(c)) previous = c;
  }
  return text.length;
}
