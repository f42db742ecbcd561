import { type KeyedTableSnapshot, rawTable, tableEntries } from '../engine/checkpoint/keyed-table';
import type { IdentityDelta, IdentitySnapshot } from '../identity';

/**
 * The identity graph in an incremental checkpoint: keyed tables of identifiers (by node), links (by
 * link) and issued profile ids (by anchor) that changed since the previous checkpoint, so a checkpoint
 * copies what changed, not the whole graph; the identifier types and cuts (a handful) whole. Folded, the
 * chain of them gives the graph's snapshot ({@link identitySnapshotOf}).
 */
export interface IncrementalIdentitySnapshot {
  readonly version: 'incremental-1';
  readonly types: readonly string[];
  readonly severed: readonly (readonly [number, number])[];
  /** node → `[type, value, firstSeen]` */
  readonly nodes: KeyedTableSnapshot<number>;
  /** link → `[a, b, time, eventId, rule]` */
  readonly links: KeyedTableSnapshot<number>;
  /** anchor → `1` */
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
    nodes: rawTable(
      g.nodes.map(([x, ...node]) => [x, node] as const),
      [],
      !whole,
    ),
    links: rawTable(
      g.links.map(([l, ...link]) => [l, link] as const),
      [],
      !whole,
    ),
    issued: rawTable(
      delta.issuedAnchors.map((a) => [a, 1] as const),
      [],
      !whole,
    ),
  };
}

/** The resolver snapshot a checkpoint's identity restores (a folded incremental chain, or a whole one). */
export function identitySnapshotOf(checkpoint: IdentityCheckpoint): IdentitySnapshot {
  if (!isIncrementalIdentity(checkpoint)) return checkpoint;
  const nodes = tableEntries<number, [number, string, number]>(checkpoint.nodes);
  const links = tableEntries<number, [number, number, number, string, number]>(checkpoint.links);
  const column = <T>(length: number) => new Array<T>(length);
  const dense = (key: number, length: number, what: string) => {
    // keys are distinct (a folded table), so keys 0..length-1 fill every column
    if (!Number.isInteger(key) || key < 0 || key >= length)
      throw new Error(`identity checkpoint: ${what} ${key} is outside 0..${length - 1}`);
  };
  const nodeType = column<number>(nodes.length);
  const nodeValue = column<string>(nodes.length);
  const firstSeen = column<number>(nodes.length);
  for (const [x, [type, value, seen]] of nodes) {
    dense(x, nodes.length, 'identifier');
    nodeType[x] = type;
    nodeValue[x] = value;
    firstSeen[x] = seen;
  }
  const linkA = column<number>(links.length);
  const linkB = column<number>(links.length);
  const linkTime = column<number>(links.length);
  const linkEvent = column<string>(links.length);
  const linkRule = column<number>(links.length);
  for (const [l, [a, b, time, event, rule]] of links) {
    dense(l, links.length, 'link');
    linkA[l] = a;
    linkB[l] = b;
    linkTime[l] = time;
    linkEvent[l] = event;
    linkRule[l] = rule;
  }
  return {
    version: 1,
    graph: {
      types: checkpoint.types,
      nodeType,
      nodeValue,
      firstSeen,
      linkA,
      linkB,
      linkTime,
      linkEvent,
      linkRule,
      severed: checkpoint.severed,
    },
    issuedAnchors: tableEntries<number, 1>(checkpoint.issued).map(([a]) => a),
  };
}
