/**
 * Reads a request body up to `limit` bytes: a declared Content-Length above it is refused before anything is read,
 * a body that grows past it stops being read at once (a web stream is cancelled). Memory stays bounded by the limit.
 * The body: a Request's stream, or a Node.js request's chunks.
 */
export async function readBounded(body: AsyncIterable<Uint8Array> | null, declaredLength: string | null, limit: number): Promise<Buffer | "too-large"> {
  if (declaredLength && Number(declaredLength) > limit) return "too-large";
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) return "too-large";
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
