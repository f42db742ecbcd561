/** FNV-1a over UTF-16 code units: cheap and stable, enough to spread partition keys over a few shards. */
export function hashPartitionKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The id of shard `index` (`shard-000000`, ...), shared by the embedded logs. */
export function shardIdOf(index: number): string {
  return `shard-${String(index).padStart(6, '0')}`;
}

/** The shard ids of a log with `shardCount` shards, in order. */
export function shardIdsFor(shardCount: number): string[] {
  return Array.from({ length: shardCount }, (_, i) => shardIdOf(i));
}
