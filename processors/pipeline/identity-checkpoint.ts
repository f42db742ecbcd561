import { type KeyedTableSnapshot, rawTable, tableEntries } from '../engine/checkpoint/keyed-table';
import {
  GRAPH_CHUNK,
  type IdentityDelta,
  type IdentitySnapshot,
  type LinkChunk,
  type NodeChunk,
} from '../identity';

/**
 * The identity graph in an incremental checkpoint: keyed tables of the chunks of identifiers, links
 * and issued profile ids (by chunk of {@link GRAPH_CHUNK}, as columns) that changed since the previous
 * checkpoint, so a checkpoint copies what changed, not the whole graph; the identifier types and cuts (a
 * handful) whole. Folded, the chain of them gives the graph's snapshot ({@link identitySnapshotOf}).
 */
export interface IncrementalIdentitySnapshot {
  readonly version: 'incremental-1';
  readonly types: readonly string[];
  readonly severed: readonly (readonly [number, number])[];
  readonly nodeCount: number;
  readonly linkCount: number;
  /** chunk → {@link NodeChunk} */
  readonly nodes: KeyedTableSnapshot<number>;
  /** chunk → {@link LinkChunk} */
  readonly links: KeyedTableSnapshot<number>;
  /** chunk → one byte per node: 1 when it is an anchor whose profile id was handed out */
  readonly issued: KeyedTableSnapshot<number>;
}

/** What a pipeline checkpoint holds for identity: a whole snapshot, or (incremental checkpoints) a delta. */
export type IdentityCheckpoint = IdentitySnapshot | IncrementalIdentitySnapshot;

/** True for the incremental form. */
export function isIncrementalIdentity(value: IdentityCheckpoint): value is IncrementalIdentitySnapshot {
  return (value as { version: unknown }).version === 'incremental-1';
}

/** A resolver's delta as checkpoint tables (`whole`: it holds everything, and starts a new chain). */
export function incrementalIdentityOf(delta: IdentityDelta, whole: boolean): IncrementalIdentitySnapshot {
  const g = delta.graph;
  return {
    version: 'incremental-1',
    types: g.types,
    severed: g.severed,
    nodeCount: g.nodeCount,
    linkCount: g.linkCount,
    nodes: rawTable(g.nodes, [], !whole),
    links: rawTable(g.links, [], !whole),
    issued: rawTable(delta.issued, [], !whole),
  };
}

/** The chunks of a folded table in order, checked to cover `count` items exactly. */
function chunksOf<T>(
  table: KeyedTableSnapshot<number>,
  count: number,
  length: (c: T) => number,
  what: string,
) {
  const chunks = tableEntries<number, T>(table).sort(([a], [b]) => a - b);
  let covered = 0;
  for (const [c, chunk] of chunks) {
    const expected = Math.min(GRAPH_CHUNK, count - c * GRAPH_CHUNK);
    if (c * GRAPH_CHUNK !== covered || length(chunk) !== expected)
      throw new Error(`identity checkpoint: ${what} chunk ${c} does not follow (${covered} of ${count})`);
    covered += expected;
  }
  if (covered !== count) throw new Error(`identity checkpoint: ${covered} of ${count} ${what}s`);
  return chunks.map(([, chunk]) => chunk);
}

/** The resolver snapshot a checkpoint's identity restores (a folded incremental chain, or a whole one). */
export function identitySnapshotOf(checkpoint: IdentityCheckpoint): IdentitySnapshot {
  if (!isIncrementalIdentity(checkpoint)) return checkpoint;
  const nodes = chunksOf<NodeChunk>(
    checkpoint.nodes,
    checkpoint.nodeCount,
    (c) => c.value.length,
    'identifier',
  );
  const links = chunksOf<LinkChunk>(checkpoint.links, checkpoint.linkCount, (c) => c.event.length, 'link');
  const issuedAnchors: number[] = [];
  for (const [c, bits] of tableEntries<number, Uint8Array>(checkpoint.issued))
    for (let i = 0; i < bits.length; i++) if (bits[i] === 1) issuedAnchors.push(c * GRAPH_CHUNK + i);
  const numbers = <T>(chunks: readonly T[], column: (c: T) => ArrayLike<number>) =>
    chunks.flatMap((c) => Array.from(column(c)));
  return {
    version: 1,
    graph: {
      types: checkpoint.types,
      nodeType: numbers(nodes, (c) => c.type),
      nodeValue: nodes.flatMap((c) => c.value),
      firstSeen: numbers(nodes, (c) => c.firstSeen),
      linkA: numbers(links, (c) => c.a),
      linkB: numbers(links, (c) => c.b),
      linkTime: numbers(links, (c) => c.time),
      linkEvent: links.flatMap((c) => c.event),
      linkRule: numbers(links, (c) => c.rule),
      severed: checkpoint.severed,
    },
    issuedAnchors: issuedAnchors.sort((a, b) => a - b),
  };
}
