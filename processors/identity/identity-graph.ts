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

/** What one ingest or unmerge did, in node terms; the resolver turns it into profile ids. */
export interface GraphChange {
  /** The event's nodes, in input order. */
  readonly nodes: readonly number[];
  /** The event's strongest node (the star's centre), or -1 for an unmerge. */
  readonly hub: number;
  /** Pairs (node, anchor of its profile before the change) for the nodes that existed before. */
  readonly before: readonly number[];
  /** Links applied in the direct path that joined two profiles. */
  readonly mergedLinks: readonly number[];
  /** Links of this event (new or moved earlier); their status says whether they merged. */
  readonly eventLinks: readonly number[];
  readonly replayed: boolean;
}

const NONE = -1;

function growI32(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
function growF64(a: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}
function growU8(a: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(size);
  b.set(a);
  return b;
}
function growU16(a: Uint16Array, size: number): Uint16Array<ArrayBuffer> {
  const b = new Uint16Array(size);
  b.set(a);
  return b;
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

  // ---- nodes -------------------------------------------------------------------------------------
  let cap = Math.max(16, options.initialCapacity ?? 1024);
  let n = 0;
  const index = new Map<string, number>();
  const keys: string[] = [];
  let nType = new Uint8Array(cap);
  let nFirst = new Float64Array(cap);
  let cParent = new Int32Array(cap);
  let cSize = new Int32Array(cap);
  let cMemberHead = new Int32Array(cap);
  let cMemberTail = new Int32Array(cap);
  let cMemberNext = new Int32Array(cap);
  let cLinkHead = new Int32Array(cap);
  let cLinkTail = new Int32Array(cap);
  let cMaxLink = new Int32Array(cap);
  let pParent = new Int32Array(cap);
  let pSize = new Int32Array(cap);
  let pAnchor = new Int32Array(cap);

  // ---- links -------------------------------------------------------------------------------------
  let lcap = Math.max(16, options.initialCapacity ?? 1024);
  let m = 0;
  let la = new Int32Array(lcap);
  let lb = new Int32Array(lcap);
  let lTime = new Float64Array(lcap);
  let lNext = new Int32Array(lcap);
  let lStatus = new Uint8Array(lcap);
  let lRule = new Uint8Array(lcap);
  const lEvent: string[] = [];

  // ---- pair index: open addressing over link ids, keyed by (a, b) --------------------------------
  let pairMask = 1023;
  let pairTable = new Int32Array(pairMask + 1).fill(NONE);

  // ---- unmerge cuts ------------------------------------------------------------------------------
  const severed = new Set<string>();

  function typeOf(name: string): number {
    let t = typeIndex.get(name);
    if (t !== undefined) return t;
    t = typeNames.length;
    if (t > 255) throw new RangeError('IdentityGraph supports at most 256 identifier types');
    typeNames.push(name);
    typeIndex.set(name, t);
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

  function growNodes(): void {
    cap *= 2;
    nType = growU8(nType, cap);
    nFirst = growF64(nFirst, cap);
    cParent = growI32(cParent, cap);
    cSize = growI32(cSize, cap);
    cMemberHead = growI32(cMemberHead, cap);
    cMemberTail = growI32(cMemberTail, cap);
    cMemberNext = growI32(cMemberNext, cap);
    cLinkHead = growI32(cLinkHead, cap);
    cLinkTail = growI32(cLinkTail, cap);
    cMaxLink = growI32(cMaxLink, cap);
    pParent = growI32(pParent, cap);
    pSize = growI32(pSize, cap);
    pAnchor = growI32(pAnchor, cap);
    for (let s = 0; s < pCount.length; s++) pCount[s] = growU16(pCount[s]!, cap);
  }

  function growLinks(): void {
    lcap *= 2;
    la = growI32(la, lcap);
    lb = growI32(lb, lcap);
    lTime = growF64(lTime, lcap);
    lNext = growI32(lNext, lcap);
    lStatus = growU8(lStatus, lcap);
    lRule = growU8(lRule, lcap);
  }

  function resetProfile(x: number): void {
    pParent[x] = x;
    pSize[x] = 1;
    pAnchor[x] = x;
    const t = nType[x]!;
    for (let s = 0; s < pCount.length; s++) pCount[s]![x] = slotType[s] === t ? 1 : 0;
  }

  function addNode(key: string, type: number, timeMs: number): number {
    if (n === cap) growNodes();
    const x = n++;
    index.set(key, x);
    keys.push(key);
    nType[x] = type;
    nFirst[x] = timeMs;
    cParent[x] = x;
    cSize[x] = 1;
    cMemberHead[x] = x;
    cMemberTail[x] = x;
    cMemberNext[x] = NONE;
    cLinkHead[x] = NONE;
    cLinkTail[x] = NONE;
    cMaxLink[x] = NONE;
    resetProfile(x);
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

  /** Whether node x names a profile rather than y: priority, then first seen, then key. */
  function better(x: number, y: number): boolean {
    const px = typePriority[nType[x]!]!;
    const py = typePriority[nType[y]!]!;
    if (px !== py) return px > py;
    const fx = nFirst[x]!;
    const fy = nFirst[y]!;
    if (fx !== fy) return fx < fy;
    return keys[x]! < keys[y]!;
  }

  /** Order of links: event time, event id, then the two identifier keys. */
  function cmpKey(time: number, eventId: string, aKey: string, bKey: string, l: number): number {
    const t = lTime[l]!;
    if (time !== t) return time < t ? -1 : 1;
    const e = lEvent[l]!;
    if (eventId !== e) return eventId < e ? -1 : 1;
    const ka = keys[la[l]!]!;
    if (aKey !== ka) return aKey < ka ? -1 : 1;
    const kb = keys[lb[l]!]!;
    if (bKey !== kb) return bKey < kb ? -1 : 1;
    return 0;
  }

  function cmpLinks(x: number, y: number): number {
    return cmpKey(lTime[x]!, lEvent[x]!, keys[la[x]!]!, keys[lb[x]!]!, y);
  }

  function pairHash(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
  }

  function pairFind(a: number, b: number): number {
    let i = pairHash(a, b) & pairMask;
    for (;;) {
      const l = pairTable[i]!;
      if (l === NONE) return NONE;
      if (la[l] === a && lb[l] === b) return l;
      i = (i + 1) & pairMask;
    }
  }

  function pairInsert(l: number): void {
    if ((m + 1) * 2 > pairMask + 1) {
      pairMask = pairMask * 2 + 1;
      pairTable = new Int32Array(pairMask + 1).fill(NONE);
      for (let k = 0; k < m; k++) if (k !== l) pairInsertRaw(k);
    }
    pairInsertRaw(l);
  }

  function pairInsertRaw(l: number): void {
    let i = pairHash(la[l]!, lb[l]!) & pairMask;
    while (pairTable[i] !== NONE) i = (i + 1) & pairMask;
    pairTable[i] = l;
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
    cMemberNext[cMemberTail[rx]!] = cMemberHead[ry]!;
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
    for (let x = cMemberHead[root]!; x !== NONE; x = cMemberNext[x]!) out.push(x);
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
      const r = findP(x);
      if (better(x, pAnchor[r]!)) pAnchor[r] = x;
    }
  }

  /** Whether a new link would sort after every link of node x's cluster (true for a new node). */
  function laterThanCluster(x: number, time: number, eventId: string, aKey: string, bKey: string): boolean {
    if (x === NONE) return true;
    const mx = cMaxLink[findC(x)]!;
    return mx === NONE || cmpKey(time, eventId, aKey, bKey, mx) > 0;
  }

  function captureBefore(roots: readonly number[], before: number[]): void {
    for (const r of roots) {
      for (const x of clusterMembers(r)) before.push(x, pAnchor[findP(x)]!);
    }
  }

  /**
   * Records one event: its identifiers (type, value pairs, value already normalized), its time and
   * id. Identifiers are linked in a star from the strongest one (priority, then key).
   */
  function ingest(
    types: readonly string[],
    values: readonly string[],
    timeMs: number,
    eventId: string,
    rule: number,
  ): GraphChange {
    const k = types.length;
    const tIdx = new Array<number>(k);
    const ks = new Array<string>(k);
    const nodes = new Array<number>(k);
    let hub = 0;
    for (let i = 0; i < k; i++) {
      tIdx[i] = typeOf(types[i]!);
      ks[i] = `${types[i]}:${values[i]}`;
      nodes[i] = index.get(ks[i]!) ?? NONE;
      if (i > 0) {
        const ph = typePriority[tIdx[hub]!]!;
        const pi = typePriority[tIdx[i]!]!;
        if (pi > ph || (pi === ph && ks[i]! < ks[hub]!)) hub = i;
      }
    }
    const hubNode = nodes[hub]!;
    const hubKey = ks[hub]!;

    // Which links are new, which move earlier, and does any of them sort before its clusters' links?
    let slow = false;
    const fresh: number[] = [];
    const moved: number[] = [];
    for (let i = 0; i < k; i++) {
      if (i === hub) continue;
      const x = nodes[i]!;
      if (hubNode !== NONE && x !== NONE) {
        const l = pairFind(hubNode, x);
        if (l !== NONE) {
          if (cmpKey(timeMs, eventId, hubKey, ks[i]!, l) < 0) {
            moved.push(l);
            slow = true;
          }
          continue;
        }
      }
      fresh.push(i);
      if (
        !slow &&
        (laterThanCluster(hubNode, timeMs, eventId, hubKey, ks[i]!) === false ||
          laterThanCluster(x, timeMs, eventId, hubKey, ks[i]!) === false)
      )
        slow = true;
    }

    const before: number[] = [];
    if (slow) {
      const roots = new Set<number>();
      for (const x of nodes) if (x !== NONE) roots.add(findC(x));
      captureBefore([...roots], before);
    } else {
      for (const x of nodes) if (x !== NONE) before.push(x, pAnchor[findP(x)]!);
    }

    for (let i = 0; i < k; i++) {
      if (nodes[i] === NONE) nodes[i] = addNode(ks[i]!, tIdx[i]!, timeMs);
      else touch(nodes[i]!, timeMs);
    }
    const h = nodes[hub]!;
    for (const l of moved) {
      lTime[l] = timeMs;
      lEvent[l] = eventId;
      lRule[l] = rule;
    }
    const eventLinks = [...moved];
    fresh.sort((i, j) => (ks[i]! < ks[j]! ? -1 : 1));
    for (const i of fresh) {
      if (m === lcap) growLinks();
      const l = m++;
      la[l] = h;
      lb[l] = nodes[i]!;
      lTime[l] = timeMs;
      lRule[l] = rule;
      lStatus[l] = 0;
      lEvent[l] = eventId;
      pairInsert(l);
      appendLink(unionC(h, nodes[i]!), l);
      eventLinks.push(l);
    }

    const mergedLinks: number[] = [];
    if (slow) {
      replay(findC(h));
    } else {
      for (const l of eventLinks) if (applyLink(l) === LINK_MERGED) mergedLinks.push(l);
    }
    return { nodes, hub: h, before, mergedLinks, eventLinks, replayed: slow };
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
    return { nodes: [], hub: NONE, before, mergedLinks: [], eventLinks: [], replayed: true };
  }

  return {
    ingest,
    sever,
    /** Node of an identifier key (`type:value`), or -1. */
    nodeOf: (key: string): number => index.get(key) ?? NONE,
    /** `type:value` key of a node. */
    keyOf: (x: number): string => keys[x]!,
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
      return clusterLinks(findC(x))
        .filter((l) => la[l] === x || lb[l] === x)
        .map((l) => [la[l]!, lb[l]!] as [number, number]);
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
