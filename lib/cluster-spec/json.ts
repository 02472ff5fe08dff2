// JSON text as people write it: a syntax error names its line and column, not just a character offset.

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

/** Line and column (1-based) of a character offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

export function parseJsonText(text: string): JsonParse {
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
