import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { Identifier } from '../../contracts/identifier';
import { IdentityConfig, type IdentityConfigInput } from './config';
import { createIdentifierFilter, extractIdentifiers, normalizeIdentifierValue } from './extract-identifiers';
import {
  createIdentityGraph,
  GRAPH_CHUNK,
  type GraphChange,
  type GraphChanges,
  type GraphSnapshot,
  LINK_BLOCKED,
  LINK_MERGED,
  LINK_SEVERED,
  LINK_WITHIN,
  RULE_ALIAS,
  RULE_SAME_EVENT,
} from './identity-graph';
import { profileIdFor } from './profile-id';
import type {
  Explanation,
  IdentifierReassignment,
  IdentityChanges,
  IdentityLink,
  IdentityProfile,
  LinkStatus,
  MergeCause,
  ProfileMerge,
  ProfileSplit,
  Resolution,
  Unmerge,
  UnmergeRequest,
} from './types';

/** The identity resolver of one job: resolve events to profiles, explain, unmerge. */
export interface IdentityResolver {
  /** Resolves an event to its profile, recording its identifiers and links. */
  resolve(event: CanonicalEvent): Resolution;
  /** The profile an identifier belongs to, or `undefined` if it was never seen. */
  lookup(identifier: Identifier): IdentityProfile | undefined;
  /** The profile id of an identifier (cheap: no identifier list), or `undefined` if never seen. */
  profileIdOf(identifier: Identifier): string | undefined;
  /** A profile by id; ids of merged profiles redirect to the survivor. */
  getProfile(profileId: string): IdentityProfile | undefined;
  /** The live id a (possibly merged) profile id now goes by, or `undefined` if unknown. */
  currentProfileId(profileId: string): string | undefined;
  /** Why an identifier belongs to its profile: the chain of links to the profile's anchor. */
  explain(identifier: Identifier): Explanation | undefined;
  /** The recorded link between two identifiers (its earliest event), if they were ever linked directly. */
  linkBetween(a: Identifier, b: Identifier): IdentityLink | undefined;
  /** Cuts a link (or all links of an identifier) for good and recomputes, splitting the profile. */
  unmerge(request: UnmergeRequest): Unmerge;
  /** How many identifiers and links the graph holds. */
  size(): { identifiers: number; links: number };
  /** The resolver's state as plain JSON-able data (for checkpoints). */
  snapshot(): IdentitySnapshot;
  /**
   * What changed since the previous call or restore (`all`: everything), in O(changes), for incremental
   * checkpoints: folded in order onto the previous ones, it gives {@link snapshot}'s content.
   */
  takeDelta(all?: boolean): IdentityDelta;
  /**
   * Loads a snapshot into this resolver, which must be empty. Profiles are recomputed from the
   * snapshot's links under this resolver's config, so a config change takes effect on restore.
   */
  restore(snapshot: IdentitySnapshot): void;
}

/**
 * A resolver's state: the graph's inputs and the identifiers whose profile ids were handed out (so
 * that old ids keep redirecting after a restore).
 */
export interface IdentitySnapshot {
  readonly version: 1;
  readonly graph: GraphSnapshot;
  readonly issuedAnchors: readonly number[];
}

/** The changes of a resolver's state since its previous delta ({@link IdentityResolver.takeDelta}). */
export interface IdentityDelta {
  readonly graph: GraphChanges;
  /**
   * Per chunk of {@link GRAPH_CHUNK} nodes in which a profile id was handed out since (all chunks for a
   * whole delta): which of its nodes are anchors whose id was handed out (1) or not (0).
   */
  readonly issued: readonly (readonly [number, Uint8Array])[];
}

/** Dependencies of the resolver (persistence goes through `IdentityStore` writers). */
export interface IdentityResolverDeps {
  /** Wall clock for unmerge records; `Date.now` by default. */
  readonly now?: () => number;
}

/** The configuration was rejected. */
export class IdentityConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentityConfigError';
  }
}

/** A snapshot could not be loaded. */
export class IdentitySnapshotError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentitySnapshotError';
  }
}

/** What is wrong with a snapshot (shape, lengths, references), or `undefined` when it is sound. */
function checkSnapshot(s: IdentitySnapshot): string | undefined {
  if (s?.version !== 1) return `unknown version ${String(s?.version)}`;
  const g = s.graph;
  const n = g.nodeValue.length;
  const m = g.linkA.length;
  if (g.types.length > 256) return 'more than 256 identifier types';
  if (new Set(g.types).size !== g.types.length) return 'duplicate identifier types';
  if (g.nodeType.length !== n || g.firstSeen.length !== n) return 'identifier columns differ in length';
  if ([g.linkB, g.linkTime, g.linkEvent, g.linkRule].some((c) => c.length !== m)) {
    return 'link columns differ in length';
  }
  const node = (x: unknown) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < n;
  if (!g.nodeType.every((t) => Number.isInteger(t) && t >= 0 && t < g.types.length))
    return 'bad identifier type';
  if (!g.nodeValue.every((v) => typeof v === 'string' && v.length > 0)) return 'bad identifier value';
  if (!g.firstSeen.every(Number.isFinite) || !g.linkTime.every(Number.isFinite)) return 'bad time';
  for (let i = 0; i < m; i++) {
    if (!node(g.linkA[i]) || !node(g.linkB[i]) || g.linkA[i] === g.linkB[i]) return `bad link ${i}`;
  }
  if (!g.severed.every(([a, b]) => node(a) && node(b))) return 'bad cut';
  if (!s.issuedAnchors.every(node)) return 'bad issued anchor';
  return undefined;
}

const STATUS: Record<number, LinkStatus> = {
  [LINK_MERGED]: 'merged',
  [LINK_WITHIN]: 'within',
  [LINK_BLOCKED]: 'blocked-by-limit',
  [LINK_SEVERED]: 'severed',
};

/** Creates an in-memory identity resolver (see processors/identity/README.md for the rules). */
export function createIdentityResolver(
  configInput: IdentityConfigInput = {},
  deps: IdentityResolverDeps = {},
): IdentityResolver {
  const parsed = IdentityConfig.safeParse(configInput);
  if (!parsed.success) {
    throw new IdentityConfigError(`invalid identity config: ${parsed.error.message}`, {
      cause: parsed.error,
    });
  }
  const config = parsed.data;
  const filter = createIdentifierFilter(config);
  const graph = createIdentityGraph(config);
  /** profile id by anchor node, once computed (ids are hashes); dense, so reads stay fast */
  const idOfAnchor: (string | undefined)[] = [];
  /** the reverse, built on the first lookup by id (rare: keeps string-keyed inserts off the hot path) */
  let anchorOfIdIndex: Map<string, number> | undefined;
  /** chunks of anchors in which an id was computed since the last delta */
  const issuedChunks = new Set<number>();

  function idOf(anchor: number): string {
    while (idOfAnchor.length <= anchor) idOfAnchor.push(undefined);
    let id = idOfAnchor[anchor];
    if (id === undefined) {
      id = profileIdFor(graph.keyOf(anchor), config.profileIdPrefix, config.profileIdSalt);
      idOfAnchor[anchor] = id;
      anchorOfIdIndex?.set(id, anchor);
      issuedChunks.add(Math.floor(anchor / GRAPH_CHUNK));
    }
    return id;
  }

  /** Anchor nodes whose profile id was computed. */
  function issuedAnchors(): number[] {
    const out: number[] = [];
    for (let a = 0; a < idOfAnchor.length; a++) if (idOfAnchor[a] !== undefined) out.push(a);
    return out;
  }

  function anchorOfId(profileId: string): number | undefined {
    if (anchorOfIdIndex === undefined) {
      anchorOfIdIndex = new Map();
      for (const anchor of issuedAnchors()) anchorOfIdIndex.set(idOfAnchor[anchor]!, anchor);
    }
    return anchorOfIdIndex.get(profileId);
  }

  function identifierOf(node: number): Identifier {
    return { type: graph.typeOf(node), value: graph.valueOf(node) };
  }

  function linkView(l: number): IdentityLink {
    const x = graph.link(l);
    return {
      from: identifierOf(x.a),
      to: identifierOf(x.b),
      eventId: x.eventId,
      timestamp: new Date(x.timeMs).toISOString(),
      rule: x.rule === RULE_ALIAS ? 'alias' : 'same-event',
      status: STATUS[x.status] ?? 'within',
    };
  }

  /** Turns node-level before/after into merges, splits and reassignments (see README). */
  function describe(change: GraphChange, cause: MergeCause): IdentityChanges {
    const groups = new Map<number, { nodes: number[]; afters: Set<number> }>();
    const b = change.before;
    for (let i = 0; i < change.beforeCount; i += 2) {
      const node = b[i]!;
      const anchor = b[i + 1]!;
      let g = groups.get(anchor);
      if (!g) {
        g = { nodes: [], afters: new Set() };
        groups.set(anchor, g);
      }
      g.nodes.push(node);
      g.afters.add(graph.anchorOf(node));
    }
    const mergesInto = new Map<number, string[]>();
    const splits: ProfileSplit[] = [];
    const reassignments: IdentifierReassignment[] = [];
    for (const [anchor, g] of groups) {
      const live = graph.anchorOf(anchor) === anchor;
      if (!live && g.afters.size === 1) {
        const into = g.afters.values().next().value as number;
        const list = mergesInto.get(into) ?? [];
        list.push(idOf(anchor));
        mergesInto.set(into, list);
        continue;
      }
      if (!live) {
        splits.push({ from: idOf(anchor), into: [...g.afters].map(idOf).sort(), cause });
      }
      for (const node of g.nodes) {
        const after = graph.anchorOf(node);
        if (after !== anchor) {
          reassignments.push({ identifier: identifierOf(node), from: idOf(anchor), to: idOf(after), cause });
        }
      }
    }
    const merges: ProfileMerge[] = [];
    for (const [into, from] of mergesInto) {
      const intoId = idOf(into);
      merges.push({ into: intoId, from: from.sort(), cause });
    }
    return { merges, reassignments, splits };
  }

  function profileOf(node: number): IdentityProfile {
    const anchor = graph.anchorOf(node);
    return {
      profileId: idOf(anchor),
      anchor: identifierOf(anchor),
      identifiers: graph.profileMembers(node).sort(graph.compareNodes).map(identifierOf),
    };
  }

  function nodeOf(identifier: Identifier): number {
    const value = normalizeIdentifierValue(identifier.type, identifier.value);
    return value === undefined ? -1 : graph.nodeOf(identifier.type, value);
  }

  const NO_CHANGES: IdentityChanges = Object.freeze({
    merges: Object.freeze([]) as readonly ProfileMerge[],
    reassignments: Object.freeze([]) as readonly IdentifierReassignment[],
    splits: Object.freeze([]) as readonly ProfileSplit[],
  });
  const NO_LINKS: readonly IdentityLink[] = Object.freeze([]);
  const types: string[] = [];
  const values: string[] = [];

  /** Whether any node's profile anchor moved (the common case of a known person is: no). */
  function anyChange(change: GraphChange): boolean {
    if (change.replayed || change.mergedCount > 0) return true;
    const b = change.before;
    for (let i = 0; i < change.beforeCount; i += 2) if (graph.anchorOf(b[i]!) !== b[i + 1]) return true;
    return false;
  }

  function resolve(event: CanonicalEvent): Resolution {
    const extracted = extractIdentifiers(event, config.previousIdType, filter);
    const { rejected, rule } = extracted;
    let identifiers = extracted.identifiers;
    if (identifiers.length > config.maxIdentifiersPerEvent) {
      for (const x of identifiers.slice(config.maxIdentifiersPerEvent)) {
        rejected.push({ type: x.type, valueLength: x.value.length, reason: 'too-many-identifiers' });
      }
      identifiers = identifiers.slice(0, config.maxIdentifiersPerEvent);
    }
    if (!identifiers.every((x) => graph.hasType(x.type))) {
      // New custom types take the free slots in order; identifiers of types beyond them are rejected.
      let room = Math.min(config.maxIdentifierTypes, 256) - graph.typeCount();
      const admitted = new Set<string>();
      identifiers = identifiers.filter((y) => {
        if (graph.hasType(y.type) || admitted.has(y.type)) return true;
        if (room > 0) {
          room--;
          admitted.add(y.type);
          return true;
        }
        rejected.push({ type: y.type, valueLength: y.value.length, reason: 'too-many-types' });
        return false;
      });
    }
    if (identifiers.length === 0) return { ok: false, reason: 'no-identifier', rejected };
    const timeMs = Date.parse(event.timestamp);
    if (Number.isNaN(timeMs)) return { ok: false, reason: 'invalid-timestamp', rejected };
    const count = identifiers.length;
    for (let i = 0; i < count; i++) {
      types[i] = identifiers[i]!.type;
      values[i] = identifiers[i]!.value;
    }
    const change = graph.ingest(
      types,
      values,
      count,
      timeMs,
      event.eventId,
      rule === 'alias' ? RULE_ALIAS : RULE_SAME_EVENT,
    );
    let changes = NO_CHANGES;
    if (anyChange(change)) {
      const mergedIds: Identifier[] = [];
      for (let i = 0; i < change.mergedCount; i++) {
        const x = graph.link(change.mergedLinks[i]!);
        mergedIds.push(identifierOf(x.a), identifierOf(x.b));
      }
      changes = describe(change, {
        eventId: event.eventId,
        timestamp: event.timestamp,
        identifiers: change.replayed || mergedIds.length === 0 ? identifiers : mergedIds,
        rule: change.replayed ? 'late-event-replay' : change.mergedCount > 0 ? rule : 'profile-id-change',
      });
    }
    // The event belongs to the profile of its strongest identifier (the star's hub).
    const hub = change.hub;
    let blockedLinks = NO_LINKS;
    for (let i = 0; i < change.nodeCount; i++) {
      const x = change.nodes[i]!;
      if (x === hub || graph.sameProfile(hub, x)) continue;
      const l = graph.linkBetween(hub, x);
      if (l >= 0) blockedLinks = [...blockedLinks, linkView(l)];
    }
    return {
      ok: true,
      value: {
        profileId: idOf(graph.anchorOf(hub)),
        identifiers,
        primaryIdentifier: identifierOf(hub),
        rejected,
        blockedLinks,
        merges: changes.merges,
        reassignments: changes.reassignments,
        splits: changes.splits,
      },
    };
  }

  function explain(identifier: Identifier): Explanation | undefined {
    const x = nodeOf(identifier);
    if (x < 0) return undefined;
    const anchor = graph.anchorOf(x);
    const links = graph.clusterLinksOf(x);
    // Breadth-first search from x to the anchor over links inside the profile.
    const adjacency = new Map<number, number[]>();
    const notMerged: IdentityLink[] = [];
    for (const l of links) {
      const k = graph.link(l);
      if (k.a === x || k.b === x) {
        if (k.status === LINK_BLOCKED || k.status === LINK_SEVERED) notMerged.push(linkView(l));
      }
      if ((k.status === LINK_MERGED || k.status === LINK_WITHIN) && graph.sameProfile(k.a, x)) {
        for (const [p, q] of [
          [k.a, k.b],
          [k.b, k.a],
        ] as const) {
          const list = adjacency.get(p) ?? [];
          list.push(l, q);
          adjacency.set(p, list);
        }
      }
    }
    const via = new Map<number, number>([[x, -1]]);
    const queue = [x];
    while (queue.length > 0 && !via.has(anchor)) {
      const p = queue.shift()!;
      const next = adjacency.get(p) ?? [];
      for (let i = 0; i < next.length; i += 2) {
        const q = next[i + 1]!;
        if (!via.has(q)) {
          via.set(q, next[i]!);
          queue.push(q);
        }
      }
    }
    const chain: IdentityLink[] = [];
    for (let at = anchor; at !== x; ) {
      const l = via.get(at)!;
      chain.unshift(linkView(l));
      const k = graph.link(l);
      at = k.a === at ? k.b : k.a;
    }
    return {
      identifier: identifierOf(x),
      profileId: idOf(anchor),
      anchor: identifierOf(anchor),
      chain,
      notMerged,
    };
  }

  function unmerge(request: UnmergeRequest): Unmerge {
    let pairs: [number, number][];
    let involved: number[];
    if (request.kind === 'link') {
      const a = nodeOf(request.a);
      const b = nodeOf(request.b);
      if (a < 0 || b < 0)
        return { ok: false, reason: 'unknown-identifier', message: 'identifier never seen' };
      if (graph.linkBetween(a, b) < 0) {
        return { ok: false, reason: 'no-such-link', message: 'these identifiers were never linked directly' };
      }
      pairs = [[a, b]];
      involved = [a, b];
    } else {
      const x = nodeOf(request.identifier);
      if (x < 0) return { ok: false, reason: 'unknown-identifier', message: 'identifier never seen' };
      pairs = graph.linkedPairs(x);
      involved = [x, ...pairs.map(([a, b]) => (a === x ? b : a))];
    }
    const change = graph.sever(pairs);
    const cause: MergeCause = {
      eventId: 'unmerge',
      timestamp: new Date((deps.now ?? Date.now)()).toISOString(),
      identifiers: involved.map(identifierOf),
      rule: 'unmerge-replay',
    };
    const changes = describe(change, cause);
    const seen = new Set<string>();
    const profiles: IdentityProfile[] = [];
    for (const node of involved) {
      const p = profileOf(node);
      if (!seen.has(p.profileId)) {
        seen.add(p.profileId);
        profiles.push(p);
      }
    }
    return { ok: true, value: { severedLinks: pairs.length, profiles, ...changes } };
  }

  /**
   * An id names its anchor identifier for good, so an id that stopped existing (merged, split, renamed)
   * redirects to the profile that now holds that identifier: no redirect table to keep.
   */
  function currentProfileId(profileId: string): string | undefined {
    const anchor = anchorOfId(profileId);
    return anchor === undefined ? undefined : idOf(graph.anchorOf(anchor));
  }

  return {
    resolve,
    lookup(identifier) {
      const x = nodeOf(identifier);
      return x < 0 ? undefined : profileOf(x);
    },
    profileIdOf(identifier) {
      const x = nodeOf(identifier);
      return x < 0 ? undefined : idOf(graph.anchorOf(x));
    },
    getProfile(profileId) {
      const id = currentProfileId(profileId);
      const anchor = id === undefined ? undefined : anchorOfId(id);
      return anchor === undefined ? undefined : profileOf(anchor);
    },
    currentProfileId,
    explain,
    linkBetween(a, b) {
      const x = nodeOf(a);
      const y = nodeOf(b);
      const l = x < 0 || y < 0 ? -1 : graph.linkBetween(x, y);
      return l < 0 ? undefined : linkView(l);
    },
    unmerge,
    size: () => graph.size(),
    snapshot: () => ({ version: 1, graph: graph.snapshot(), issuedAnchors: issuedAnchors() }),
    takeDelta(all = false) {
      const chunks = all
        ? Array.from({ length: Math.ceil(idOfAnchor.length / GRAPH_CHUNK) }, (_, c) => c)
        : [...issuedChunks].sort((a, b) => a - b);
      issuedChunks.clear();
      const issued = chunks.map((c) => {
        const from = c * GRAPH_CHUNK;
        const bits = new Uint8Array(Math.max(0, Math.min(GRAPH_CHUNK, idOfAnchor.length - from)));
        for (let i = 0; i < bits.length; i++) if (idOfAnchor[from + i] !== undefined) bits[i] = 1;
        return [c, bits] as const;
      });
      return { graph: graph.takeChanges(all), issued };
    },
    restore(snapshot) {
      const problem = checkSnapshot(snapshot);
      if (problem !== undefined) throw new IdentitySnapshotError(`invalid identity snapshot: ${problem}`);
      if (graph.size().identifiers > 0) throw new IdentitySnapshotError('restore needs an empty resolver');
      try {
        graph.restore(snapshot.graph);
      } catch (error) {
        // The resolver is half-loaded now: the caller must discard it.
        throw new IdentitySnapshotError('identity snapshot could not be restored', { cause: error });
      }
      for (const anchor of snapshot.issuedAnchors) idOf(anchor);
      issuedChunks.clear(); // in the snapshot; the live ids computed below are not
      // Live ids must resolve in getProfile/currentProfileId without having been handed out again.
      for (const anchor of graph.anchors()) idOf(anchor);
    },
  };
}
