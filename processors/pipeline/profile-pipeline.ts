import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { Identifier } from '../../contracts/identifier';
import type { LakeRecord, LakeWriter } from '../../contracts/ports/lake-writer';
import type { ProfileStore } from '../../contracts/ports/profile-store';
import type { SegmentStore } from '../../contracts/ports/segment-store';
import type { ActivityItem, ProfileDocument } from '../../contracts/profile';
import type { ValidationIssue } from '../../contracts/validation-issue';
import {
  type Checkpoint,
  type Clock,
  createInMemoryStateBackend,
  DeserializingSource,
  type Job,
  type KeyedProcessFunction,
  OutputTag,
  type Source,
  type StateBackend,
  StreamExecutionEnvironment,
  TimeDomain,
  type TimerService,
  type ValueState,
  ValueStateDescriptor,
  WatermarkStrategy,
} from '../engine';
import {
  createIdentityResolver,
  type IdentityChanges,
  type IdentityResolver,
  type IdentitySnapshot,
} from '../identity';
import {
  addEvent,
  createAccumulator,
  createAccumulatorInput,
  createEventClassifier,
  fillAccumulatorInput,
  LATE_FOR_DAILY,
  LATE_FOR_SESSIONS,
  type ProfileAccumulator,
} from '../profiles';
import { type DecodedEvent, type DecodedRecord, decodeRecord, type PipelineInput } from './decode-event';
import {
  type FlushInput,
  type FlushSummary,
  flushProfiles,
  type KnownVersion,
  type PendingRemoval,
  type PublishSlices,
} from './flush-profiles';
import {
  type IdentityCheckpoint,
  identitySnapshotOf,
  incrementalIdentityOf,
  isIncrementalIdentity,
} from './identity-checkpoint';
import { createIdentityFastPath } from './identity-fast-path';
import { KeyedStateAccess } from './keyed-state-access';
import { eventRow, identityLinkRow, identityMergeRow, lateEventRow } from './lake-rows';
import { PipelineConfig, type PipelineConfigInput } from './pipeline-config';
import {
  createProfileState,
  type ProfileState,
  raiseSequence,
  sliceIdentifier,
  sliceKey,
} from './profile-state';
import { SeenEvents, type SeenEventsSnapshot } from './seen-events';
import type { SegmentRules } from './segment-rules';

/** An accepted, deduplicated event with the profile identity resolution gave it. */
export type ResolvedRecord = DecodedEvent;

/** An event later than a window's allowed lateness, as the late-events output carries it. */
export interface LateEvent {
  readonly event: CanonicalEvent;
  /** The aggregate operator's watermark when the event arrived. */
  readonly watermark: number;
  /** Which windows it missed: `profiles/daily`, `profiles/sessions`. */
  readonly windows: readonly string[];
}

/** A record that was not accepted, and why (no value echoed: it may hold PII). */
export interface RejectedRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly reason: 'invalid' | 'no-identifier' | 'invalid-timestamp';
  readonly errors: readonly ValidationIssue[];
}

/** Everything the job needs from outside; nothing is read from the environment. */
export interface ProfilePipelineDeps {
  /** The event log: shards of records in sequence order, replayable from an offset. */
  readonly source: Source<PipelineInput>;
  readonly profileStore: ProfileStore;
  readonly segmentStore: SegmentStore;
  readonly lakeWriter: LakeWriter;
  /** Processing time: state TTL (dedupe), segment timers, `updatedAt`, activity expiry. */
  readonly clock: Clock;
  /** Real-time segment rules (`processors/segments`); without them no segment is evaluated. */
  readonly segments?: SegmentRules;
  /** Keyed state backend of the engine (in memory by default). */
  readonly stateBackend?: StateBackend;
  /**
   * Incremental checkpoints: keyed state and the dedupe set snapshot only what changed since the
   * previous checkpoint (delta tables, `processors/engine/checkpoint/keyed-table.ts`); the storage
   * folds the chain. Applies to the default state backend.
   */
  readonly incrementalCheckpoints?: boolean;
  /** A flush yields between slices of this length (a runtime serving requests on the same thread). */
  readonly publishSlices?: PublishSlices;
  /** Called with every refused record (invalid, or without any usable identifier). */
  readonly onRejected?: (record: RejectedRecord) => void;
  /** Resume from this checkpoint (taken by {@link ProfilePipeline.checkpoint}). */
  readonly restoreFrom?: PipelineCheckpoint;
}

/** A consistent snapshot of the whole job: engine (offsets, keyed state, timers, watermarks) + identity. */
export interface PipelineCheckpoint {
  readonly formatVersion: 2;
  readonly engine: Checkpoint;
  /** The identity graph: whole, or (incremental checkpoints) what changed since the previous checkpoint. */
  readonly identity: IdentityCheckpoint;
  /** The dedupe set: event ids seen within the dedupe window. */
  readonly seenEvents: SeenEventsSnapshot;
  /** Highest finite watermark the aggregate operator had seen (window cleanup horizon). */
  readonly cleanupWatermark: number;
}

/** Counters of a running job. */
export interface PipelineStats {
  readonly records: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly late: number;
  readonly merges: number;
}

/** The running job; see processors/README.md for how a runtime drives it. */
export interface ProfilePipeline {
  /** One round: polls each shard once and processes what came. False once every shard has ended. */
  step(): Promise<boolean>;
  /** Writes what changed since the last flush: profiles, memberships, activity, lake rows. */
  flush(): Promise<FlushSummary>;
  /**
   * Flushes, then snapshots the job; persist the result and pass it as `restoreFrom` to resume.
   * `mark(step)`, when given, is called as each step ends (`job.flush`, `job.engine`, `job.identity`,
   * `job.seen`), for timings.
   */
  checkpoint(mark?: (step: string) => void): Promise<PipelineCheckpoint>;
  /** Bounded input only: ends it (the watermark goes to +∞, every window closes) and flushes. */
  finish(): Promise<FlushSummary>;
  /** Steps until every shard has ended, then finishes. */
  runToEnd(): Promise<FlushSummary>;
  /** The identity resolver (explain, unmerge, lookups); an unmerge must be followed by `applyIdentityChanges`. */
  readonly identity: IdentityResolver;
  /** Moves profile state after changes made outside events (an operator's unmerge). */
  applyIdentityChanges(changes: IdentityChanges): void;
  stats(): PipelineStats;
}

/** Timeline items of one slice waiting for the next flush, and the profile the slice is in. */
interface PendingActivity {
  profileId: string;
  readonly items: ActivityItem[];
}

/** Operator ids (stable across versions: checkpoints find their state by them). */
export const PROFILES_UID = 'profiles';
const PROFILE_STATE = 'profile';

const LATE_TAG = new OutputTag<LateEvent>('late-events');

/**
 * Creates the profile job: decode → validate → dedupe (by `eventId`, a set of ids with a processing-time TTL) → resolve
 * identity → key by profile → aggregate (mergeable accumulators, windows with allowed lateness, late
 * events to a side output) → on flush: segments → profile store, segment store, lake.
 */
export function createProfilePipeline(
  configInput: PipelineConfigInput,
  deps: ProfilePipelineDeps,
): ProfilePipeline {
  const config = PipelineConfig.parse(configInput);
  const settings = config.profiles;
  const classifier = createEventClassifier(settings.mapping);
  const resolver = createIdentityResolver(config.identity, { now: () => deps.clock.now() });
  const known = createIdentityFastPath(resolver);
  // The resolver as callers see it: an unmerge or restore from outside invalidates the fast path.
  const identity: IdentityResolver = Object.assign(Object.create(resolver) as IdentityResolver, {
    unmerge: (request: Parameters<IdentityResolver['unmerge']>[0]) => {
      known.invalidate();
      return resolver.unmerge(request);
    },
    restore: (snapshot: IdentitySnapshot) => {
      known.invalidate();
      resolver.restore(snapshot);
    },
  });
  const incremental = deps.incrementalCheckpoints === true;
  const access = new KeyedStateAccess(
    deps.stateBackend ?? createInMemoryStateBackend({ incremental }),
    PROFILES_UID,
  );

  const counts = { records: 0, accepted: 0, duplicates: 0, rejected: 0, late: 0, merges: 0 };
  const lake: LakeRecord[] = [];
  const dirty = new Set<string>();
  const removed = new Map<string, PendingRemoval>();
  /**
   * New timeline items since the last flush, by slice key, with the profile that holds the slice now
   * (a slice that moves takes them along): one lookup per event.
   */
  const activity = new Map<string, PendingActivity>();
  let cleanupWatermark = deps.restoreFrom?.cleanupWatermark ?? Number.NEGATIVE_INFINITY;
  let profileState: ValueState<ProfileState> | undefined;
  let segmentsDefined = false;
  /**
   * Stored document versions this process wrote (not checkpointed: after a restore every profile is
   * read once before it is written, which is how replays are recognized). Profiles created by this
   * process and never written are `null`; everything else unknown.
   */
  const versions = new Map<string, number | null>();
  const knownVersion = (id: string): KnownVersion =>
    versions.has(id) ? (versions.get(id) as number | null) : 'unknown';

  const seen = new SeenEvents(settings.dedupeWindowMs, () => deps.clock.now(), { incremental });
  /**
   * Incremental checkpoints: the next identity delta holds the whole graph (the first after a restore
   * from a whole snapshot starts a new chain; a fresh job's first delta holds everything anyway).
   */
  let identityWhole = deps.restoreFrom !== undefined && !isIncrementalIdentity(deps.restoreFrom.identity);
  if (deps.restoreFrom !== undefined) {
    const version = (deps.restoreFrom as { formatVersion: unknown }).formatVersion;
    if (version !== 2)
      throw new Error(`checkpoint formatVersion ${String(version)} cannot be restored (2 expected)`);
    identity.restore(identitySnapshotOf(deps.restoreFrom.identity));
    seen.restore(deps.restoreFrom.seenEvents);
  }

  /**
   * When to look at a profile again after an event at `t`: once its session window has ended, rounded
   * up to the minute so that a burst of events shares one timer.
   */
  function sessionTimer(t: number): number {
    return Math.ceil((t + settings.sessionGapMs - 1) / 60_000) * 60_000;
  }

  function reject(record: RejectedRecord): void {
    counts.rejected++;
    deps.onRejected?.(record);
  }

  function stateOf(profileId: string): ProfileState | undefined {
    return access.as(profileId, () => profileState?.value());
  }

  function putState(profileId: string, state: ProfileState | undefined): void {
    access.as(profileId, () => {
      if (state === undefined || state.slices.size === 0) profileState?.clear();
      else profileState?.update(state);
    });
  }

  function moveActivity(into: string, slice: string): void {
    const pending = activity.get(slice);
    if (pending !== undefined) pending.profileId = into;
  }

  /** The pending timeline items per profile (its slices' lists one after the other). */
  function activityByProfile(): Map<string, readonly ActivityItem[]> {
    const out = new Map<string, ActivityItem[]>();
    for (const { profileId, items } of activity.values()) {
      const list = out.get(profileId);
      if (list === undefined) out.set(profileId, items);
      else out.set(profileId, list.concat(items));
    }
    return out;
  }

  /**
   * Puts every slice of the affected profiles where identity resolution now says its identifier
   * belongs. Order-free: whatever the reported changes, the outcome follows the resolver's current
   * answer, and each slice exists in exactly one profile.
   */
  function reconcile(changes: IdentityChanges, cause?: { shardId: string; sequenceNumber: string }): void {
    const affected = new Set<string>();
    const mergedInto = new Map<string, string>();
    for (const m of changes.merges) {
      affected.add(m.into);
      for (const from of m.from) {
        affected.add(from);
        mergedInto.set(from, m.into);
      }
    }
    for (const r of changes.reassignments) {
      affected.add(r.from);
      affected.add(r.to);
    }
    for (const s of changes.splits) {
      affected.add(s.from);
      for (const into of s.into) affected.add(into);
    }
    const states = new Map<string, ProfileState>();
    const load = (id: string) => {
      let s = states.get(id);
      if (s === undefined) {
        s = stateOf(id);
        if (s === undefined) {
          s = createProfileState();
          if (!versions.has(id)) versions.set(id, null);
        }
        states.set(id, s);
      }
      return s;
    };
    for (const id of [...affected].sort()) {
      const state = load(id);
      for (const [key, slice] of [...state.slices]) {
        const target = identity.profileIdOf(sliceIdentifier(key));
        if (target === undefined || target === id) continue;
        state.slices.delete(key);
        const into = load(target);
        into.slices.set(key, slice);
        for (const [shard, seq] of slice.sequences) raiseSequence(into.sequences, shard, seq);
        moveActivity(target, key);
        dirty.add(target);
        // Its open sessions' timer was registered under the old key: arm the target's for them.
        access.as(target, (timers) => {
          if (timers === undefined) return;
          const at = nextSessionTimer(slice.sessions, timers.currentWatermark());
          if (at !== undefined) armSessionTimer(target, at, timers);
        });
      }
    }
    for (const [id, state] of states) {
      const live = identity.currentProfileId(id) === id;
      if (live && state.slices.size > 0) {
        dirty.add(id);
        removed.delete(id);
      } else if (!live) {
        const into = mergedInto.get(id) ?? identity.currentProfileId(id);
        if (into !== undefined && into !== id) {
          const target = load(into);
          const mergedFrom = new Set([...target.mergedFrom, ...state.mergedFrom, id]);
          mergedFrom.delete(into);
          target.mergedFrom = [...mergedFrom].sort();
          if (target.slices.size > 0) dirty.add(into);
        }
        const pending = removed.get(id);
        removed.set(id, {
          into,
          segments: new Map([...(pending?.segments ?? []), ...state.segments]),
          storedVersion: pending?.storedVersion ?? knownVersion(id),
        });
        state.slices.clear();
        dirty.delete(id);
      }
    }
    if (cause !== undefined)
      for (const state of states.values())
        raiseSequence(state.sequences, cause.shardId, cause.sequenceNumber);
    for (const [id, state] of states) putState(id, state);
  }

  /**
   * The earliest session timer each profile key has registered and not yet seen fire (not checkpointed:
   * after a restore a key registers again, and a restored timer firing re-arms as any other). One timer
   * per key, moved lazily: an event whose session ends later leaves it as it is, and when it fires
   * `onTimer` registers the next session end the key's state still has.
   */
  const sessionTimers = new Map<string, number>();

  /** The earliest session timer after `after` of a slice's open sessions (`[first, last, ...]` pairs). */
  function nextSessionTimer(sessions: readonly number[], after: number): number | undefined {
    let next: number | undefined;
    for (let i = 1; i < sessions.length; i += 2) {
      const at = sessionTimer(sessions[i] as number);
      if (at > after && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /** Makes sure `key` looks again at `at` or earlier (the timer service is addressed to `key` already). */
  function armSessionTimer(key: string, at: number, timers: TimerService): void {
    const watermark = timers.currentWatermark();
    // Already due: the session ends at or before the watermark (`at` is its end rounded up), so the
    // flush of the key, dirty now, counts it closed already. The timer would only fire at the next
    // watermark advance to publish the key again unchanged (an event hours behind the watermark, as a
    // backfill or a replayed log sends, armed one each).
    if (at <= watermark) return;
    const armed = sessionTimers.get(key);
    // a timer at or before `at` that has not fired yet (time > watermark) will re-arm for `at` itself
    if (armed !== undefined && armed <= at && armed > watermark) return;
    timers.registerEventTimeTimer(at);
    sessionTimers.set(key, at);
  }
  /** Reused for every event (addEvent keeps none of it, only the values it points to). */
  const input = createAccumulatorInput();
  const aggregate: KeyedProcessFunction<string, ResolvedRecord, LakeRecord> = {
    open(ctx) {
      profileState = ctx.getState(new ValueStateDescriptor<ProfileState>(PROFILE_STATE));
    },
    processElement(r, ctx, out) {
      const timers = ctx.timerService();
      access.bindTimers(timers);
      if (r.changes !== undefined) reconcile(r.changes, r);
      const ps = profileState as ValueState<ProfileState>;
      let state = ps.value();
      if (state === undefined) {
        state = createProfileState();
        if (!versions.has(r.profileId)) versions.set(r.profileId, null);
      }
      let slice: ProfileAccumulator | undefined = state.slices.get(r.sliceKey);
      if (slice === undefined) {
        slice = createAccumulator();
        state.slices.set(r.sliceKey, slice);
      }
      const watermark = timers.currentWatermark();
      const e = r.event;
      const item: ActivityItem = {
        eventId: e.eventId,
        eventName: e.eventName,
        timestamp: e.timestamp,
        source: e.source,
        properties: e.properties,
      };
      fillAccumulatorInput(input, e, r.t, classifier, r.shardId, r.sequenceNumber, item);
      const late = addEvent(slice, input, watermark, settings);
      raiseSequence(state.sequences, r.shardId, r.sequenceNumber);
      ps.update(state);
      if (late !== 0) {
        counts.late++;
        const windows: string[] = [];
        if (late & LATE_FOR_DAILY) windows.push('profiles/daily');
        if (late & LATE_FOR_SESSIONS) windows.push('profiles/sessions');
        ctx.output(LATE_TAG, { event: r.event, watermark, windows });
      } else {
        // The session may close when the watermark passes its window end: look again then.
        armSessionTimer(r.profileId, sessionTimer(r.t), timers);
      }
      dirty.add(r.profileId);
      const pending = activity.get(r.sliceKey);
      if (pending === undefined) activity.set(r.sliceKey, { profileId: r.profileId, items: [item] });
      else pending.items.push(item);
      out.collect(eventRow(r.event, r.line));
    },
    onTimer(time, ctx) {
      // A session window ended or a segment may change with time alone: re-evaluate at the next flush
      // (the profile's, or its survivor's when it was merged away since). A job restored and woken only
      // by timers (the idle tick) has seen no element yet: bind the timer service here too, so that the
      // flush can register the next segment timer.
      const timers = ctx.timerService();
      access.bindTimers(timers);
      const key = ctx.getCurrentKey();
      const state = (profileState as ValueState<ProfileState>).value();
      if (ctx.timeDomain() === TimeDomain.EVENT_TIME) {
        // the key's session timer: arm the next session end its state holds (later events left it be)
        if (sessionTimers.get(key) === time) sessionTimers.delete(key);
        if (state !== undefined) {
          // sessions ending up to the watermark are all seen by this flush (the key is dirty now)
          const after = Math.max(time, timers.currentWatermark());
          let next: number | undefined;
          for (const slice of state.slices.values()) {
            const at = nextSessionTimer(slice.sessions, after);
            if (at !== undefined && (next === undefined || at < next)) next = at;
          }
          if (next !== undefined) armSessionTimer(key, next, timers);
        }
      }
      if (state !== undefined) dirty.add(key);
      else {
        const survivor = identity.currentProfileId(key);
        if (survivor !== undefined && survivor !== key) dirty.add(survivor);
      }
    },
  };

  const env = StreamExecutionEnvironment.create({
    parallelism: 1,
    clock: deps.clock,
    stateBackend: access,
    maxBatchSize: config.maxBatchSize,
  });
  let strategy = WatermarkStrategy.forBoundedOutOfOrderness<DecodedRecord>(
    config.outOfOrdernessMs,
  ).withTimestampAssigner((d) => (d.ok ? d.t : Number.NEGATIVE_INFINITY));
  if (config.idlenessMs !== undefined) strategy = strategy.withIdleness(config.idlenessMs);
  const aggregated = env
    .fromSource(new DeserializingSource(deps.source, decodeRecord), strategy, 'event-log')
    // biome-ignore lint/suspicious/useIterableCallbackReturn: Flink's flatMap emits through the collector
    .flatMap<DecodedEvent>((d, out) => {
      counts.records++;
      if (d.ok) {
        if (seen.checkAndAdd(d.event.eventId)) counts.duplicates++;
        else out.collect(d);
      } else
        reject({ shardId: d.shardId, sequenceNumber: d.sequenceNumber, reason: 'invalid', errors: d.errors });
    }, 'validate-dedupe')
    // biome-ignore lint/suspicious/useIterableCallbackReturn: Flink's flatMap emits through the collector
    .flatMap<ResolvedRecord>((d, out) => {
      const hit = known.lookup(d.event, d.t);
      if (hit !== undefined) {
        counts.accepted++;
        d.profileId = hit.profileId;
        d.sliceKey = hit.sliceKey;
        out.collect(d);
        return;
      }
      const resolution = resolver.resolve(d.event);
      const primaryKey = resolution.ok ? sliceKey(resolution.value.primaryIdentifier) : undefined;
      known.remember(d.event, d.t, resolution, primaryKey);
      if (!resolution.ok) {
        reject({
          shardId: d.shardId,
          sequenceNumber: d.sequenceNumber,
          reason: resolution.reason,
          errors: resolution.rejected.map((x) => ({ path: `identity (${x.type})`, message: x.reason })),
        });
        return;
      }
      counts.accepted++;
      const v = resolution.value;
      const hasChanges = v.merges.length > 0 || v.reassignments.length > 0 || v.splits.length > 0;
      if (v.identifiers.length > 1) recordLinks(d.event, v.primaryIdentifier, v.identifiers);
      for (const m of v.merges) {
        counts.merges += m.from.length;
        for (const from of m.from) lake.push(identityMergeRow(m, from));
      }
      d.profileId = v.profileId;
      d.sliceKey = primaryKey as string;
      d.changes = hasChanges ? v : undefined;
      out.collect(d);
    }, 'resolve-identity')
    .keyBy((r) => r.profileId)
    .process(aggregate, PROFILES_UID);
  // Events and late events go to the lake writer as the engine's sink (it buffers; flush makes durable).
  aggregated.sinkTo(
    { createWriter: () => ({ write: (rows: readonly LakeRecord[]) => deps.lakeWriter.write(rows) }) },
    { batchSize: 4096, capacity: 65_536 },
    'lake-events',
  );
  aggregated.getSideOutput(LATE_TAG).sinkTo(
    {
      createWriter: () => ({
        write: (rows: readonly LateEvent[]) =>
          deps.lakeWriter.write(rows.map((r) => lateEventRow(r, PROFILES_UID))),
      }),
    },
    { batchSize: 512 },
    'lake-late-events',
  );

  function recordLinks(event: CanonicalEvent, primary: Identifier, identifiers: readonly Identifier[]) {
    const primaryKey = sliceKey(primary);
    for (const id of identifiers) {
      if (sliceKey(id) === primaryKey) continue;
      const link = identity.linkBetween(primary, id);
      if (link !== undefined && link.eventId === event.eventId) lake.push(identityLinkRow(link));
    }
  }

  const job: Job = env.createJob(
    config.jobName,
    deps.restoreFrom ? { restoreFrom: deps.restoreFrom.engine } : {},
  );

  const carried: FlushInput['carried'] = { changes: [], membershipWrites: [] };

  /** Not reentrant: a runtime awaits each `step` and `flush` before the next call. */
  async function flush(): Promise<FlushSummary> {
    const pendingRows = lake.length;
    const watermark = access.watermark();
    if (Number.isFinite(watermark) && watermark > cleanupWatermark) cleanupWatermark = watermark;
    const summary = await flushProfiles(
      {
        dirty: [...dirty].sort(),
        removed: [...removed].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
        activity: activityByProfile(),
        lake: lake.slice(0, pendingRows),
        watermark,
        cleanupWatermark,
        defineSegments: !segmentsDefined,
        carried,
      },
      {
        config,
        access,
        readState: (id) => stateOf(id),
        writeState: (id, s) => putState(id, s),
        profileStore: deps.profileStore,
        segmentStore: deps.segmentStore,
        lakeWriter: deps.lakeWriter,
        clock: deps.clock,
        segments: deps.segments,
        knownVersion,
        wroteVersion: (id, version) => versions.set(id, version),
        slices: deps.publishSlices,
      },
    );
    // Only now (everything written) are the buffers dropped: a failed flush is retried whole.
    lake.splice(0, pendingRows);
    carried.changes.length = 0;
    carried.membershipWrites.length = 0;
    segmentsDefined = true;
    dirty.clear();
    removed.clear();
    activity.clear();
    return summary;
  }

  return {
    identity,
    async step() {
      return job.stepAsync();
    },
    flush,
    async checkpoint(mark) {
      await flush();
      mark?.('job.flush');
      const engine = await job.checkpointAsync();
      mark?.('job.engine');
      const identitySnapshot = incremental
        ? incrementalIdentityOf(identity.takeDelta(identityWhole), identityWhole)
        : identity.snapshot();
      identityWhole = false;
      mark?.('job.identity');
      const seenEvents = seen.snapshot();
      mark?.('job.seen');
      return { formatVersion: 2, engine, identity: identitySnapshot, seenEvents, cleanupWatermark };
    },
    async finish() {
      job.finish();
      return flush();
    },
    async runToEnd() {
      while (await job.stepAsync()) {
        /* every round is processed inside stepAsync */
      }
      job.finish();
      return flush();
    },
    applyIdentityChanges(changes) {
      known.invalidate();
      for (const m of changes.merges) {
        counts.merges += m.from.length;
        for (const from of m.from) lake.push(identityMergeRow(m, from));
      }
      reconcile(changes);
    },
    stats: () => ({ ...counts }),
  };
}

export type { FlushSummary, ProfileDocument };
