/**
 * The integer core of identity resolution: interned identifiers, recorded links, and two union-finds
 * over typed arrays (path halving, union by size).
 *
 * - The *cluster* union-find joins every linked pair, blocked or not. A cluster is the scope of a
 *   recomputation: constraints never reach across clusters.
 * - The *profile* union-find is the outcome: the result of applying the cluster's links greedily in
 *   link order (event time, event id, identifier keys) while respecting per-type limits.
 *
 * A link that sorts after every link of its clusters (the live, in-order case) is applied directly;
 * one that sorts earlier (a late event) makes the cluster replay its links in order. Both give the
 * same profiles, so the outcome depends on the set of events, never on arrival order.
 */

import { randomBytes } from 'node:crypto';

/** Link statuses as stored (see `LinkStatus` in types.ts). */
export const LINK_MERGED = 1;
export const LINK_WITHIN = 2;
export const LINK_BLOCKED = 3;
export const LINK_SEVERED = 4;
export const RULE_SAME_EVENT = 0;
export const RULE_ALIAS = 1;

/** Per-type settings of the graph. */
export interface IdentityGraphOptions {
  readonly limits: Readonly<Record<string, number>>;
  readonly priorities: Readonly<Record<string, number>>;
  readonly customTypePriority: number;
  readonly initialCapacity?: number;
}

/**
 * What one ingest or unmerge did, in node terms; the resolver turns it into profile ids. The arrays
 * are reused buffers: read only the first `…Count` entries.
 */
export interface GraphChange {
  /** The event's nodes, in input order. */
  readonly nodes: readonly number[];
  readonly nodeCount: number;
  /** The event's strongest node (the star's centre), or -1 for an unmerge. */
  readonly hub: number;
  /** Pairs (node, anchor of its profile before the change) for the nodes that existed before. */
  readonly before: readonly number[];
  /** Length of `before` (two entries per node). */
  readonly beforeCount: number;
  /** Links applied in the direct path that joined two profiles. */
  readonly mergedLinks: readonly number[];
  readonly mergedCount: number;
  /** Links of this event (new or moved earlier); their status says whether they merged. */
  readonly eventLinks: readonly number[];
  readonly eventLinkCount: number;
  readonly replayed: boolean;
}

const NONE = -1;

/**
 * Typed arrays carved out of one `ArrayBuffer`: one external allocation per growth, so V8's
 * external-memory trigger starts at most one GC per growth instead of one per column.
 */
function carve(size: number, f64: number, i32: number, u16: number, u8: number) {
  const buf = new ArrayBuffer(size * (8 * f64 + 4 * i32 + 2 * u16 + u8));
  let off = 0;
  const take = <T>(count: number, bytes: number, make: (o: number) => T): T[] =>
    Array.from({ length: count }, () => {
      const a = make(off);
      off += size * bytes;
      return a;
    });
  return {
    f64: take(f64, 8, (o) => new Float64Array(buf, o, size)),
    i32: take(i32, 4, (o) => new Int32Array(buf, o, size)),
    u16: take(u16, 2, (o) => new Uint16Array(buf, o, size)),
    u8: take(u8, 1, (o) => new Uint8Array(buf, o, size)),
  };
}

/**
 * Everything needed to rebuild a graph: identifier types, identifiers (ordinal = node), links and
 * cuts. Plain arrays, so it serializes as JSON.
 */
export interface GraphSnapshot {
  readonly types: readonly string[];
  readonly nodeType: readonly number[];
  readonly nodeValue: readonly string[];
  readonly firstSeen: readonly number[];
  readonly linkA: readonly number[];
  readonly linkB: readonly number[];
  readonly linkTime: readonly number[];
  readonly linkEvent: readonly string[];
  readonly linkRule: readonly number[];
  readonly severed: readonly (readonly [number, number])[];
}

/** Identifiers and links per chunk of {@link GraphChanges} (a chunk is rewritten whole when it changes). */
export const GRAPH_CHUNK = 4096;

/** Identifiers `chunk * GRAPH_CHUNK ...` as columns. */
export interface NodeChunk {
  readonly type: Uint8Array;
  readonly value: readonly string[];
  readonly firstSeen: Float64Array;
}

/** Links `chunk * GRAPH_CHUNK ...` as columns. */
export interface LinkChunk {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly time: Float64Array;
  readonly event: readonly string[];
  readonly rule: Uint8Array;
}

/**
 * What changed in a graph since the previous {@link IdentityGraph.takeChanges} (incremental
 * checkpoints), as column copies of the chunks of {@link GRAPH_CHUNK} identifiers or links that
 * changed (added to, or an identifier's first-seen time or a link moved earlier); types and cuts whole.
 */
export interface GraphChanges {
  readonly types: readonly string[];
  readonly nodeCount: number;
  readonly linkCount: number;
  readonly nodes: readonly (readonly [number, NodeChunk])[];
  readonly links: readonly (readonly [number, LinkChunk])[];
  readonly severed: readonly (readonly [number, number])[];
}

/** An identity graph over interned identifiers (see the file comment). */
export type IdentityGraph = ReturnType<typeof createIdentityGraph>;

/** Creates an empty identity graph. */
export function createIdentityGraph(options: IdentityGraphOptions) {
  // ---- identifier types --------------------------------------------------------------------------
  const typeNames: string[] = [];
  const typeIndex = new Map<string, number>();
  const typePriority: number[] = [];
  /** slot in `pCount` of a limited type, or NONE */
  const typeSlot: number[] = [];
  const slotLimit: number[] = [];
  const slotType: number[] = [];
  const pCount: Uint16Array[] = [];
  /** rank of each type's name in sorted order (ties between identifiers compare type names first) */
  let typeRank: number[] = [];

  // ---- nodes -------------------------------------------------------------------------------------
  let cap = Math.max(16, options.initialCapacity ?? 1024);
  let n = 0;
  const nodeValue: string[] = [];
  const nodeColumns = carve(cap, 1, 12, 0, 1);
  let [nFirst] = nodeColumns.f64 as [Float64Array];
  let [nType] = nodeColumns.u8 as [Uint8Array];
  let [
    cParent,
    cSize,
    cMemberTail,
    cMemberNext,
    cLinkHead,
    cLinkTail,
    cMaxLink,
    pParent,
    pSize,
    pAnchor,
    nAdj,
    nDeg,
  ] = nodeColumns.i32 as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
  ];

  // ---- identifier index: open addressing, slot i = [hash, node] at [2i, 2i+1] ----------------------
  // A hand-made table: one cache line per probe instead of a V8 Map's several, no key strings built.
  const seed = randomBytes(4).readInt32LE(0);
  let idMask = 1023;
  let idTable = new Int32Array((idMask + 1) * 2).fill(NONE);
  let idSlot = 0;

  // ---- links -------------------------------------------------------------------------------------
  let lcap = Math.max(16, options.initialCapacity ?? 1024);
  let m = 0;
  const linkColumns = carve(lcap, 1, 5, 0, 2);
  let [lTime] = linkColumns.f64 as [Float64Array];
  /** lNext: next link of the cluster; lNextA / lNextB: next link at node la[l] / lb[l] (adjacency) */
  let [la, lb, lNext, lNextA, lNextB] = linkColumns.i32 as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  let [lStatus, lRule] = linkColumns.u8 as [Uint8Array, Uint8Array];
  const lEvent: string[] = [];

  // ---- pair index: open addressing over link ids, keyed by (a, b) --------------------------------

  // ---- unmerge cuts ------------------------------------------------------------------------------
  const severed = new Set<string>();
  // ---- incremental snapshots: nodes and links below the marks were taken; chunks changed since -------
  let nodeMark = 0;
  let linkMark = 0;
  const changedNodeChunks = new Set<number>();
  const changedLinkChunks = new Set<number>();

  function typeOf(name: string): number {
    let t = typeIndex.get(name);
    if (t !== undefined) return t;
    t = typeNames.length;
    // The resolver checks `canIntern` first; reaching this is a programming error.
    if (t > 255) throw new RangeError('IdentityGraph supports at most 256 identifier types');
    typeNames.push(name);
    typeIndex.set(name, t);
    const sorted = [...typeNames].sort();
    typeRank = typeNames.map((x) => sorted.indexOf(x));
    typePriority.push(options.priorities[name] ?? options.customTypePriority);
    const limit = options.limits[name];
    if (limit !== undefined) {
      typeSlot.push(pCount.length);
      slotLimit.push(limit);
      slotType.push(t);
      pCount.push(new Uint16Array(cap));
    } else {
      typeSlot.push(NONE);
    }
    return t;
  }

  function moved<T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(to: T, from: T): T {
    to.set(from);
    return to;
  }

  function growNodes(): void {
    cap *= 2;
    const c = carve(cap, 1, 12, pCount.length, 1);
    nFirst = moved(c.f64[0]!, nFirst);
    nType = moved(c.u8[0]!, nType);
    const i = c.i32;
    cParent = moved(i[0]!, cParent);
    cSize = moved(i[1]!, cSize);
    cMemberTail = moved(i[2]!, cMemberTail);
    cMemberNext = moved(i[3]!, cMemberNext);
    cLinkHead = moved(i[4]!, cLinkHead);
    cLinkTail = moved(i[5]!, cLinkTail);
    cMaxLink = moved(i[6]!, cMaxLink);
    pParent = moved(i[7]!, pParent);
    pSize = moved(i[8]!, pSize);
    pAnchor = moved(i[9]!, pAnchor);
    nAdj = moved(i[10]!, nAdj);
    nDeg = moved(i[11]!, nDeg);
    for (let s = 0; s < pCount.length; s++) pCount[s] = moved(c.u16[s]!, pCount[s]!);
  }

  function growLinks(): void {
    lcap *= 2;
    const c = carve(lcap, 1, 5, 0, 2);
    lTime = moved(c.f64[0]!, lTime);
    la = moved(c.i32[0]!, la);
    lb = moved(c.i32[1]!, lb);
    lNext = moved(c.i32[2]!, lNext);
    lNextA = moved(c.i32[3]!, lNextA);
    lNextB = moved(c.i32[4]!, lNextB);
    lStatus = moved(c.u8[0]!, lStatus);
    lRule = moved(c.u8[1]!, lRule);
  }

  function resetProfile(x: number): void {
    pParent[x] = x;
    pSize[x] = 1;
    pAnchor[x] = x;
    const t = nType[x]!;
    for (let s = 0; s < pCount.length; s++) pCount[s]![x] = slotType[s] === t ? 1 : 0;
  }

  /** Seeded FNV-1a over type and value with murmur3's finalizer (seeded against hash flooding). */
  function hashId(type: number, value: string): number {
    let h = (seed ^ Math.imul(type + 1, 0x9e3779b1)) | 0;
    for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  /** Node of (type, value), or NONE; leaves the free slot to insert at in `idSlot`. */
  function findId(type: number, value: string, h: number): number {
    let i = h & idMask;
    for (;;) {
      const x = idTable[2 * i + 1]!;
      if (x === NONE) {
        idSlot = i;
        return NONE;
      }
      if (idTable[2 * i] === h && nType[x] === type && nodeValue[x] === value) return x;
      i = (i + 1) & idMask;
    }
  }

  function growIdTable(): void {
    const old = idTable;
    idMask = idMask * 2 + 1;
    idTable = new Int32Array((idMask + 1) * 2).fill(NONE);
    for (let j = 0; j < old.length; j += 2) {
      const x = old[j + 1]!;
      if (x === NONE) continue;
      let i = old[j]! & idMask;
      while (idTable[2 * i + 1] !== NONE) i = (i + 1) & idMask;
      idTable[2 * i] = old[j]!;
      idTable[2 * i + 1] = x;
    }
  }

  /** Adds a node for (type, value) whose lookup just failed (`idSlot` is its free slot). */
  function addNode(type: number, value: string, h: number, timeMs: number): number {
    if (n === cap) growNodes();
    const x = n++;
    idTable[2 * idSlot] = h;
    idTable[2 * idSlot + 1] = x;
    nodeValue.push(value);
    nType[x] = type;
    nFirst[x] = timeMs;
    cParent[x] = x;
    cSize[x] = 1;
    cMemberTail[x] = x;
    cMemberNext[x] = NONE;
    cLinkHead[x] = NONE;
    cLinkTail[x] = NONE;
    cMaxLink[x] = NONE;
    nAdj[x] = NONE;
    nDeg[x] = 0;
    resetProfile(x);
    if (n * 10 > (idMask + 1) * 7) growIdTable();
    return x;
  }

  function findC(x: number): number {
    while (cParent[x] !== x) {
      const g = cParent[cParent[x]!]!;
      cParent[x] = g;
      x = g;
    }
    return x;
  }

  function findP(x: number): number {
    while (pParent[x] !== x) {
      const g = pParent[pParent[x]!]!;
      pParent[x] = g;
      x = g;
    }
    return x;
  }

  /** Identifier order for ties: type name, then value. */
  function cmpNodes(x: number, y: number): number {
    if (x === y) return 0;
    const rx = typeRank[nType[x]!]!;
    const ry = typeRank[nType[y]!]!;
    if (rx !== ry) return rx < ry ? -1 : 1;
    const vx = nodeValue[x]!;
    const vy = nodeValue[y]!;
    return vx < vy ? -1 : vx > vy ? 1 : 0;
  }

  /** Whether node x names a profile rather than y: priority, then first seen, then type and value. */
  function better(x: number, y: number): boolean {
    const px = typePriority[nType[x]!]!;
    const py = typePriority[nType[y]!]!;
    if (px !== py) return px > py;
    const fx = nFirst[x]!;
    const fy = nFirst[y]!;
    if (fx !== fy) return fx < fy;
    return cmpNodes(x, y) < 0;
  }

  /** Order of links: event time, event id, then the two identifiers. */
  function cmpKey(time: number, eventId: string, a: number, b: number, l: number): number {
    const t = lTime[l]!;
    if (time !== t) return time < t ? -1 : 1;
    const e = lEvent[l]!;
    if (eventId !== e) return eventId < e ? -1 : 1;
    const ca = cmpNodes(a, la[l]!);
    if (ca !== 0) return ca;
    return cmpNodes(b, lb[l]!);
  }

  function cmpLinks(x: number, y: number): number {
    return cmpKey(lTime[x]!, lEvent[x]!, la[x]!, lb[x]!, y);
  }

  /**
   * The link (a, b) in that orientation, or NONE: a scan of the adjacency of the end with fewer links
   * (a person's identifiers have a handful; only two heavily shared identifiers make this long).
   */
  function pairFind(a: number, b: number): number {
    const x = nDeg[a]! <= nDeg[b]! ? a : b;
    for (let l = nAdj[x]!; l !== NONE; l = la[l] === x ? lNextA[l]! : lNextB[l]!) {
      if (la[l] === a && lb[l] === b) return l;
    }
    return NONE;
  }

  /** Adds link l to the adjacency of both its ends. */
  function pairInsert(l: number): void {
    const a = la[l]!;
    const b = lb[l]!;
    lNextA[l] = nAdj[a]!;
    nAdj[a] = l;
    nDeg[a]!++;
    lNextB[l] = nAdj[b]!;
    nAdj[b] = l;
    nDeg[b]!++;
  }

  function severKey(a: number, b: number): string {
    return a < b ? `${a}:${b}` : `${b}:${a}`;
  }

  /** Applies one link to the profile union-find, records and returns its status. */
  function applyLink(l: number): number {
    const status = decideLink(l);
    lStatus[l] = status;
    return status;
  }

  function decideLink(l: number): number {
    const a = la[l]!;
    const b = lb[l]!;
    if (severed.size > 0 && severed.has(severKey(a, b))) return LINK_SEVERED;
    let ra = findP(a);
    let rb = findP(b);
    if (ra === rb) return LINK_WITHIN;
    for (let s = 0; s < pCount.length; s++) {
      const c = pCount[s]!;
      if (c[ra]! + c[rb]! > slotLimit[s]!) return LINK_BLOCKED;
    }
    if (pSize[ra]! < pSize[rb]!) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    pParent[rb] = ra;
    pSize[ra]! += pSize[rb]!;
    for (let s = 0; s < pCount.length; s++) pCount[s]![ra]! += pCount[s]![rb]!;
    if (better(pAnchor[rb]!, pAnchor[ra]!)) pAnchor[ra] = pAnchor[rb]!;
    return LINK_MERGED;
  }

  function unionC(x: number, y: number): number {
    let rx = findC(x);
    let ry = findC(y);
    if (rx === ry) return rx;
    if (cSize[rx]! < cSize[ry]!) {
      const t = rx;
      rx = ry;
      ry = t;
    }
    cParent[ry] = rx;
    cSize[rx]! += cSize[ry]!;
    // A cluster's member list starts at its root, so the list of ry starts at ry.
    cMemberNext[cMemberTail[rx]!] = ry;
    cMemberTail[rx] = cMemberTail[ry]!;
    if (cLinkHead[ry] !== NONE) {
      if (cLinkHead[rx] === NONE) cLinkHead[rx] = cLinkHead[ry]!;
      else lNext[cLinkTail[rx]!] = cLinkHead[ry]!;
      cLinkTail[rx] = cLinkTail[ry]!;
    }
    const mx = cMaxLink[rx]!;
    const my = cMaxLink[ry]!;
    if (mx === NONE || (my !== NONE && cmpLinks(my, mx) > 0)) cMaxLink[rx] = my;
    return rx;
  }

  function appendLink(root: number, l: number): void {
    lNext[l] = NONE;
    if (cLinkHead[root] === NONE) cLinkHead[root] = l;
    else lNext[cLinkTail[root]!] = l;
    cLinkTail[root] = l;
    const mx = cMaxLink[root]!;
    if (mx === NONE || cmpLinks(l, mx) > 0) cMaxLink[root] = l;
  }

  /** Members of the cluster whose root is `root`. */
  function clusterMembers(root: number): number[] {
    const out: number[] = [];
    for (let x = root; x !== NONE; x = cMemberNext[x]!) out.push(x);
    return out;
  }

  /** Links of the cluster whose root is `root`. */
  function clusterLinks(root: number): number[] {
    const out: number[] = [];
    for (let l = cLinkHead[root]!; l !== NONE; l = lNext[l]!) out.push(l);
    return out;
  }

  /** Recomputes the profiles of one cluster by applying its links in order. */
  function replay(root: number): void {
    for (const x of clusterMembers(root)) resetProfile(x);
    const links = clusterLinks(root).sort(cmpLinks);
    for (const l of links) applyLink(l);
    cMaxLink[root] = links.length > 0 ? links[links.length - 1]! : NONE;
  }

  function touch(x: number, timeMs: number): void {
    if (timeMs < nFirst[x]!) {
      nFirst[x] = timeMs;
      if (x < nodeMark) changedNodeChunks.add(Math.floor(x / GRAPH_CHUNK));
      const r = findP(x);
      if (better(x, pAnchor[r]!)) pAnchor[r] = x;
    }
  }

  /** Whether a new link (a, b) would sort after every link of node x's cluster. */
  function laterThanCluster(x: number, time: number, eventId: string, a: number, b: number): boolean {
    const mx = cMaxLink[findC(x)]!;
    return mx === NONE || cmpKey(time, eventId, a, b, mx) > 0;
  }

  function captureBefore(roots: readonly number[], before: number[]): void {
    for (const r of roots) {
      for (const x of clusterMembers(r)) before.push(x, pAnchor[findP(x)]!);
    }
  }

  // Scratch buffers of `ingest`, reused: the returned change is valid until the next call.
  const sNodes: number[] = [];
  const sIsNew: boolean[] = [];
  const sBefore: number[] = [];
  const sMerged: number[] = [];
  const sEventLinks: number[] = [];
  const sFresh: number[] = [];
  const change = {
    nodes: sNodes,
    nodeCount: 0,
    hub: NONE,
    before: sBefore,
    beforeCount: 0,
    mergedLinks: sMerged,
    mergedCount: 0,
    eventLinks: sEventLinks,
    eventLinkCount: 0,
    replayed: false,
  };

  /**
   * Records one event: its identifiers (`count` type/value pairs, values already normalized and
   * distinct), its time and id. Identifiers are linked in a star from the strongest one (priority,
   * then type and value). The result is a reused object, valid until the next call.
   */
  function ingest(
    types: readonly string[],
    values: readonly string[],
    count: number,
    timeMs: number,
    eventId: string,
    rule: number,
  ): GraphChange {
    // Look the identifiers up and create the new ones (a new node changes nobody's profile).
    let hub = 0;
    for (let i = 0; i < count; i++) {
      const t = typeOf(types[i]!);
      const v = values[i]!;
      const hv = hashId(t, v);
      let x = findId(t, v, hv);
      sIsNew[i] = x === NONE;
      if (x === NONE) x = addNode(t, v, hv, timeMs);
      sNodes[i] = x;
      if (i > 0) {
        const ph = typePriority[nType[sNodes[hub]!]!]!;
        const pi = typePriority[t]!;
        if (pi > ph || (pi === ph && cmpNodes(x, sNodes[hub]!) < 0)) hub = i;
      }
    }
    const h = sNodes[hub]!;

    // Which links are new, which move earlier, and does any sort before its clusters' links?
    let slow = false;
    let freshCount = 0;
    let eventLinkCount = 0;
    for (let i = 0; i < count; i++) {
      if (i === hub) continue;
      const x = sNodes[i]!;
      if (x === h) continue;
      if (!sIsNew[i] && !sIsNew[hub]) {
        const l = pairFind(h, x);
        if (l !== NONE) {
          if (cmpKey(timeMs, eventId, h, x, l) < 0) {
            sEventLinks[eventLinkCount++] = l;
            slow = true;
          }
          continue;
        }
      }
      sFresh[freshCount++] = x;
      if (!slow && !sIsNew[i] && !laterThanCluster(x, timeMs, eventId, h, x)) slow = true;
      if (!slow && !sIsNew[hub] && !laterThanCluster(h, timeMs, eventId, h, x)) slow = true;
    }

    let beforeCount = 0;
    if (slow) {
      const roots: number[] = [];
      for (let i = 0; i < count; i++) {
        if (sIsNew[i]) continue;
        const r = findC(sNodes[i]!);
        if (roots.indexOf(r) < 0) roots.push(r);
      }
      for (const r of roots) {
        for (let x = r; x !== NONE; x = cMemberNext[x]!) {
          sBefore[beforeCount++] = x;
          sBefore[beforeCount++] = pAnchor[findP(x)]!;
        }
      }
    } else {
      for (let i = 0; i < count; i++) {
        if (sIsNew[i]) continue;
        const x = sNodes[i]!;
        sBefore[beforeCount++] = x;
        sBefore[beforeCount++] = pAnchor[findP(x)]!;
      }
    }

    for (let i = 0; i < count; i++) if (!sIsNew[i]) touch(sNodes[i]!, timeMs);
    for (let i = 0; i < eventLinkCount; i++) {
      const l = sEventLinks[i]!;
      lTime[l] = timeMs;
      lEvent[l] = eventId;
      lRule[l] = rule;
      if (l < linkMark) changedLinkChunks.add(Math.floor(l / GRAPH_CHUNK));
    }
    // Links of one event share time and id and start at the hub: their order is their other end's.
    if (freshCount > 1) {
      const fresh = sFresh.slice(0, freshCount).sort(cmpNodes);
      for (let i = 0; i < freshCount; i++) sFresh[i] = fresh[i]!;
    }
    for (let i = 0; i < freshCount; i++) {
      const x = sFresh[i]!;
      if (m === lcap) growLinks();
      const l = m++;
      la[l] = h;
      lb[l] = x;
      lTime[l] = timeMs;
      lRule[l] = rule;
      lStatus[l] = 0;
      lEvent[l] = eventId;
      pairInsert(l);
      appendLink(unionC(h, x), l);
      sEventLinks[eventLinkCount++] = l;
    }

    let mergedCount = 0;
    if (slow) {
      replay(findC(h));
    } else {
      for (let i = 0; i < eventLinkCount; i++) {
        const l = sEventLinks[i]!;
        if (applyLink(l) === LINK_MERGED) sMerged[mergedCount++] = l;
      }
    }
    change.nodeCount = count;
    change.hub = h;
    change.beforeCount = beforeCount;
    change.mergedCount = mergedCount;
    change.eventLinkCount = eventLinkCount;
    change.replayed = slow;
    return change;
  }

  function severedPairs(): [number, number][] {
    return [...severed].map((k) => {
      const [a, b] = k.split(':').map(Number);
      return [a!, b!];
    });
  }

  /** The chunks from the one holding `mark` to the last one of `count` items, plus `changed`, sorted. */
  function chunksToTake(mark: number, count: number, changed: Set<number>): number[] {
    const out = new Set(changed);
    if (mark < count) for (let c = Math.floor(mark / GRAPH_CHUNK); c * GRAPH_CHUNK < count; c++) out.add(c);
    return [...out].sort((a, b) => a - b);
  }

  /**
   * The chunks of nodes and links added to or changed since the previous call (`all`: every chunk), as
   * column copies (O(changed chunks)); a restore counts as taken.
   */
  function takeChanges(all = false): GraphChanges {
    if (all) {
      nodeMark = 0;
      linkMark = 0;
    }
    const nodes = chunksToTake(nodeMark, n, changedNodeChunks).map((c) => {
      const from = c * GRAPH_CHUNK;
      const to = Math.min(n, from + GRAPH_CHUNK);
      const chunk: NodeChunk = {
        type: nType.slice(from, to),
        value: nodeValue.slice(from, to),
        firstSeen: nFirst.slice(from, to),
      };
      return [c, chunk] as const;
    });
    const links = chunksToTake(linkMark, m, changedLinkChunks).map((c) => {
      const from = c * GRAPH_CHUNK;
      const to = Math.min(m, from + GRAPH_CHUNK);
      const chunk: LinkChunk = {
        a: la.slice(from, to),
        b: lb.slice(from, to),
        time: lTime.slice(from, to),
        event: lEvent.slice(from, to),
        rule: lRule.slice(from, to),
      };
      return [c, chunk] as const;
    });
    nodeMark = n;
    linkMark = m;
    changedNodeChunks.clear();
    changedLinkChunks.clear();
    return { types: [...typeNames], nodeCount: n, linkCount: m, nodes, links, severed: severedPairs() };
  }

  /** A copy of the graph's inputs (not its derived profiles: those are recomputed on restore). */
  function snapshot(): GraphSnapshot {
    return {
      types: [...typeNames],
      nodeType: Array.from(nType.subarray(0, n)),
      nodeValue: nodeValue.slice(0, n),
      firstSeen: Array.from(nFirst.subarray(0, n)),
      linkA: Array.from(la.subarray(0, m)),
      linkB: Array.from(lb.subarray(0, m)),
      linkTime: Array.from(lTime.subarray(0, m)),
      linkEvent: lEvent.slice(0, m),
      linkRule: Array.from(lRule.subarray(0, m)),
      severed: severedPairs(),
    };
  }

  /** Rebuilds an empty graph from a snapshot, applying its links in link order. */
  function restore(snap: GraphSnapshot): void {
    if (n !== 0 || m !== 0) throw new Error('IdentityGraph.restore needs an empty graph');
    for (const name of snap.types) typeOf(name);
    for (let i = 0; i < snap.nodeValue.length; i++) {
      const t = snap.nodeType[i]!;
      const v = snap.nodeValue[i]!;
      const h = hashId(t, v);
      if (findId(t, v, h) !== NONE) throw new Error(`IdentityGraph.restore: duplicate identifier at ${i}`);
      addNode(t, v, h, snap.firstSeen[i]!);
    }
    for (const [a, b] of snap.severed) severed.add(severKey(a, b));
    for (let i = 0; i < snap.linkA.length; i++) {
      if (m === lcap) growLinks();
      const l = m++;
      la[l] = snap.linkA[i]!;
      lb[l] = snap.linkB[i]!;
      lTime[l] = snap.linkTime[i]!;
      lEvent[l] = snap.linkEvent[i]!;
      lRule[l] = snap.linkRule[i]!;
      lStatus[l] = 0;
      pairInsert(l);
      appendLink(unionC(la[l]!, lb[l]!), l);
    }
    const order = Array.from({ length: m }, (_, l) => l).sort(cmpLinks);
    for (const l of order) applyLink(l);
    nodeMark = n;
    linkMark = m;
    changedNodeChunks.clear();
    changedLinkChunks.clear();
  }

  /** Cuts the given pairs for good and replays their clusters. */
  function sever(pairs: readonly (readonly [number, number])[]): GraphChange {
    const roots = new Set<number>();
    for (const [a, b] of pairs) {
      roots.add(findC(a));
      roots.add(findC(b));
    }
    const before: number[] = [];
    captureBefore([...roots], before);
    for (const [a, b] of pairs) severed.add(severKey(a, b));
    for (const r of roots) replay(r);
    return {
      nodes: [],
      nodeCount: 0,
      hub: NONE,
      before,
      beforeCount: before.length,
      mergedLinks: [],
      mergedCount: 0,
      eventLinks: [],
      eventLinkCount: 0,
      replayed: true,
    };
  }

  return {
    ingest,
    sever,
    snapshot,
    takeChanges,
    restore,
    /** Anchor nodes of every profile. */
    anchors(): number[] {
      const out: number[] = [];
      for (let x = 0; x < n; x++) if (pParent[x] === x) out.push(pAnchor[x]!);
      return out;
    },
    /** Whether an identifier type is known to the graph. */
    hasType: (type: string): boolean => typeIndex.has(type),
    /** How many identifier types the graph knows (at most 256). */
    typeCount: (): number => typeNames.length,
    /** Node of an identifier (value normalized), or -1. */
    nodeOf(type: string, value: string): number {
      const t = typeIndex.get(type);
      return t === undefined ? NONE : findId(t, value, hashId(t, value));
    },
    /** Type name of a node. */
    typeOf: (x: number): string => typeNames[nType[x]!]!,
    /** Value of a node. */
    valueOf: (x: number): string => nodeValue[x]!,
    /** `type:value` key of a node. */
    keyOf: (x: number): string => `${typeNames[nType[x]!]}:${nodeValue[x]}`,
    /** Identifier order used for ties (type name, then value). */
    compareNodes: cmpNodes,
    /** Anchor node of x's profile. */
    anchorOf: (x: number): number => pAnchor[findP(x)]!,
    /** Whether two nodes are in one profile. */
    sameProfile: (x: number, y: number): boolean => findP(x) === findP(y),
    /** All nodes in x's profile. */
    profileMembers(x: number): number[] {
      const r = findP(x);
      return clusterMembers(findC(x)).filter((y) => findP(y) === r);
    },
    /** All links of x's cluster (candidate explanations). */
    clusterLinksOf: (x: number): number[] => clusterLinks(findC(x)),
    /** Fields of a link. */
    link: (l: number) => ({
      a: la[l]!,
      b: lb[l]!,
      timeMs: lTime[l]!,
      eventId: lEvent[l]!,
      rule: lRule[l]!,
      status: lStatus[l]!,
    }),
    /** Pairs ever linked with x (for a detach). */
    linkedPairs(x: number): [number, number][] {
      const out: [number, number][] = [];
      for (let l = nAdj[x]!; l !== NONE; l = la[l] === x ? lNextA[l]! : lNextB[l]!)
        out.push([la[l]!, lb[l]!]);
      return out;
    },
    /** Link id between two nodes, or -1. */
    linkBetween: (a: number, b: number): number => {
      const l = pairFind(a, b);
      return l !== NONE ? l : pairFind(b, a);
    },
    /** Number of identifiers and links. */
    size: () => ({ identifiers: n, links: m }),
  };
}
