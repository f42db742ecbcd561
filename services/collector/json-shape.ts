/** What one pass over a raw JSON body learns without parsing it. */
export interface JsonShape {
  /** Deepest nesting of objects/arrays (the top-level value is level 1). */
  readonly maxDepth: number;
  /** Largest element, in bytes, of an array nested directly in the top-level object (a batch's events). */
  readonly maxItemBytes: number;
  /**
   * Whether the text may hold a `__proto__` or `constructor` key: a string spelled exactly so, or any
   * backslash (an escape could spell one). Only then must the parsed value be scanned for them.
   */
  readonly suspectKeys: boolean;
}

const PROTO = Buffer.from('__proto__');
const CONSTRUCTOR = Buffer.from('constructor');

function spells(buf: Buffer, start: number, word: Buffer): boolean {
  for (let k = 0; k < word.length; k++) if (buf[start + k] !== word[k]) return false;
  return true;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * Measures nesting depth and the size of each batch element of a JSON text in one byte scan (strings
 * are skipped with `indexOf`), so the per-event limits cost nothing when no event is near them.
 * Meaningful only for text that `JSON.parse` accepts.
 */
export function scanJsonShape(bytes: Uint8Array): JsonShape {
  let depth = 0;
  let maxDepth = 0;
  let level2IsArray = false;
  let itemStart = -1;
  let maxItemBytes = 0;
  let suspectKeys = false;
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    const c = buf[i]!;
    if (c === QUOTE) {
      let j = buf.indexOf(QUOTE, i + 1);
      while (j > 0) {
        let k = j - 1;
        while (buf[k] === BACKSLASH) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j = buf.indexOf(QUOTE, j + 1);
      }
      if (j < 0) break;
      const length = j - i - 1;
      if (length === 9 ? spells(buf, i + 1, PROTO) : length === 11 && spells(buf, i + 1, CONSTRUCTOR)) {
        suspectKeys = true;
      }
      i = j;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
      if (depth === 2) level2IsArray = c === OPEN_ARRAY;
      else if (depth === 3 && level2IsArray) itemStart = i;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 3 && itemStart >= 0) {
        const size = i - itemStart + 1;
        if (size > maxItemBytes) maxItemBytes = size;
        itemStart = -1;
      }
      depth--;
    }
  }
  if (!suspectKeys && buf.indexOf(BACKSLASH) >= 0) suspectKeys = true;
  return { maxDepth, maxItemBytes, suspectKeys };
}

/** Whether `value` nests objects/arrays deeper than `limit` levels (itself being level 1). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: { value: object; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.depth > limit) return true;
    const children = Array.isArray(top.value) ? top.value : Object.values(top.value);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: top.depth + 1 });
    }
  }
  return false;
}
