/**
 * Reads a request body up to `limit` bytes: a declared Content-Length above it is refused before anything is read,
 * a stream that grows past it is cancelled at once. Memory stays bounded by the limit.
 */
export async function readBounded(stream: ReadableStream<Uint8Array> | null, declaredLength: string | null, limit: number): Promise<Buffer | "too-large"> {
  if (declaredLength && Number(declaredLength) > limit) return "too-large";
  if (!stream) return Buffer.alloc(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return "too-large";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
