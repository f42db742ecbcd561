/**
 * Splits `items` into consecutive chunks of at most `maxCount` items and `maxBytes` bytes (by
 * `sizeOf`), in order. An item larger than `maxBytes` on its own is a caller error (checked first).
 */
export function chunkBySize<T>(
  items: readonly T[],
  limits: { readonly maxCount: number; readonly maxBytes: number },
  sizeOf: (item: T) => number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (size > limits.maxBytes)
      throw new RangeError(`an item of ${size} bytes exceeds the ${limits.maxBytes}-byte limit`);
    if (current.length > 0 && (current.length >= limits.maxCount || bytes + size > limits.maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
