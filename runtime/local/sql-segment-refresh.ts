import type { FastifyInstance } from 'fastify';
import type { LakeWriter } from '../../contracts/ports/lake-writer';
import type { MembershipWrite, SegmentStore } from '../../contracts/ports/segment-store';
import type { Warehouse } from '../../contracts/ports/warehouse';
import type { SegmentMembership } from '../../contracts/profile';
import { createReadKeyGuard } from '../../services/profile-api/read-key-auth';
import { createLakeSegmentChangeEmitter } from '../../services/segment-sync/lake-change-emitter';
import { refreshSegments, type SegmentRefreshResult } from '../../services/segment-sync/segment-refresh';
import type { Project } from '../../services/warehouse/project';
import type { ScheduledTask } from './scheduler';

/** The route that runs a refresh now in the running `cdp dev` (`Authorization: Bearer <read key>`). */
export const SEGMENT_REFRESH_ROUTE = '/v1/admin/segments/refresh';

/** Settings of the embedded runtime's SQL segment refresh. */
export interface SqlSegmentRefreshConfig {
  /** Between scheduled refreshes; 0 = only on request. */
  readonly intervalMs: number;
  /** `<data>/lake`, loaded incrementally before each build. */
  readonly lakeDir: string;
  readonly schema?: string;
  /** Reconcile the SQL memberships at start (false when there is no warehouse yet: nothing was synced). */
  readonly reconcileOnStart: boolean;
}

/** What the refresh needs; the warehouse is opened on first use and closed with the HTTP app. */
export interface SqlSegmentRefreshDeps {
  readonly openWarehouse: () => Promise<Warehouse>;
  readonly loadProject: () => Promise<Project>;
  /** The runtime's serving segment store (SQL memberships land there with source `sql`). */
  readonly store: SegmentStore;
  /** Where enter/exit changes go: a lake writer that writes on `flush` (not the checkpoint-staged one). */
  readonly lake: LakeWriter;
  readonly now: () => Date;
  readonly print: (line: string) => void;
}

const PAGE = 1000;

/**
 * Makes the store's SQL memberships equal to what the warehouse records as synced. The serving store
 * comes back from the last checkpoint; a sync done after it (then kill -9) is only in the warehouse.
 */
export async function reconcileSqlMemberships(warehouse: Warehouse, store: SegmentStore): Promise<number> {
  const exists = await warehouse.query(
    "select to_regclass('tributary_sync.synced_memberships') is not null as present",
  );
  if (exists.rows[0]?.present !== true) return 0;
  const synced = await warehouse.query(
    'select segment_id, profile_id, entered_at from tributary_sync.synced_memberships',
  );
  const wanted = new Map<string, SegmentMembership>();
  for (const r of synced.rows) {
    const m: SegmentMembership = {
      segmentId: String(r.segment_id),
      profileId: String(r.profile_id),
      source: 'sql',
      enteredAt: String(r.entered_at),
    };
    wanted.set(`${m.segmentId}\u0000${m.profileId}`, m);
  }
  const writes: MembershipWrite[] = [];
  const descriptions = new Map<string, string>();
  for (const s of await store.listSegments()) {
    if (s.source !== 'sql') continue;
    if (s.description !== undefined) descriptions.set(s.segmentId, s.description);
    let cursor: string | undefined;
    do {
      const page = await store.listMembers(s.segmentId, { limit: PAGE, cursor });
      for (const m of page.items) {
        const key = `${m.segmentId}\u0000${m.profileId}`;
        if (wanted.has(key)) wanted.delete(key);
        else writes.push({ kind: 'remove', segmentId: m.segmentId, profileId: m.profileId });
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
  for (const membership of wanted.values()) writes.push({ kind: 'add', membership });
  const segmentIds = new Set([...wanted.values()].map((m) => m.segmentId));
  for (const segmentId of segmentIds) {
    // Keeps the description the last sync registered (defineSegment replaces it).
    const description = descriptions.get(segmentId);
    await store.defineSegment({
      segmentId,
      source: 'sql',
      ...(description === undefined ? {} : { description }),
    });
  }
  for (let i = 0; i < writes.length; i += PAGE) await store.apply(writes.slice(i, i + PAGE));
  return writes.length;
}

/** The HTTP answer of a refresh. */
function answerOf(result: SegmentRefreshResult) {
  return result.ok
    ? {
        status: 200,
        body: {
          ok: true,
          runId: result.sync.runId,
          resumed: result.sync.resumed,
          entered: result.sync.entered,
          exited: result.sync.exited,
          modelsBuilt: result.modelsBuilt,
          lakeRows: result.lakeRows,
        },
      }
    : { status: 422, body: { ok: false, reason: 'models', failures: result.failures } };
}

/**
 * The SQL segment refresh of `cdp dev`: lake → models → `segment_memberships` synced into the serving
 * store (source `sql`, next to the real-time segments), enter/exit changes to the lake. One refresh at
 * a time: a request that arrives during a refresh gets that refresh's outcome. Scheduled every
 * `intervalMs`, and on `POST /v1/admin/segments/refresh` with the read key (the write keys are public in
 * web pages, so they cannot start work on the warehouse).
 */
export function createSqlSegmentRefresh(config: SqlSegmentRefreshConfig, deps: SqlSegmentRefreshDeps) {
  let warehouse: Promise<Warehouse> | undefined;
  let reconciled: Promise<void> | undefined;
  let running: Promise<SegmentRefreshResult> | undefined;

  const open = (): Promise<Warehouse> => {
    warehouse ??= deps.openWarehouse().catch((error: unknown) => {
      warehouse = undefined; // tried again next time
      throw error;
    });
    return warehouse;
  };
  /** Once per process, after the serving stores were restored (the first refresh waits for it). */
  const reconcile = (): Promise<void> => {
    reconciled ??= (async () => {
      const fixed = await reconcileSqlMemberships(await open(), deps.store);
      if (fixed > 0)
        deps.print(`SQL segments: re-applied ${fixed} membership changes synced after the last checkpoint.`);
    })().catch((error: unknown) => {
      reconciled = undefined;
      throw error;
    });
    return reconciled;
  };

  const once = async (): Promise<SegmentRefreshResult> => {
    const wh = await open();
    await reconcile();
    const result = await refreshSegments(
      { lakeDir: config.lakeDir, ...(config.schema ? { run: { schema: config.schema } } : {}) },
      {
        warehouse: wh,
        project: await deps.loadProject(),
        store: deps.store,
        now: deps.now,
        emit: createLakeSegmentChangeEmitter(deps.lake),
      },
    );
    if (result.ok)
      deps.print(
        `SQL segments refreshed: ${result.sync.entered} entered, ${result.sync.exited} exited (${result.modelsBuilt} models, ${result.lakeRows} new lake rows).`,
      );
    return result;
  };

  const refreshNow = (): Promise<SegmentRefreshResult> => {
    running ??= once().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedules: ScheduledTask[] =
    config.intervalMs > 0
      ? [
          {
            name: 'segment-refresh',
            everyMs: config.intervalMs,
            async run() {
              const result = await refreshNow();
              if (!result.ok) throw new Error(`segment models failed: ${result.failures.join('; ')}`);
            },
          },
        ]
      : [];

  return {
    refreshNow,
    schedules,
    /** Mounts the refresh route; the warehouse is closed (after a refresh in progress) with the app. */
    routes(app: FastifyInstance, readKey: string): void {
      const onRequest = createReadKeyGuard(readKey);
      app.post(SEGMENT_REFRESH_ROUTE, { schema: { hide: true }, onRequest }, async (_request, reply) => {
        try {
          const answer = answerOf(await refreshNow());
          return reply.code(answer.status).send(answer.body);
        } catch (error: unknown) {
          deps.print(`SQL segment refresh failed: ${error instanceof Error ? error.message : String(error)}`);
          return reply
            .code(503)
            .send({ error: 'refresh_failed', message: 'the segment refresh failed; see the cdp dev output' });
        }
      });
      // the stores are restored by now: bring the SQL memberships up to the warehouse's record
      if (config.reconcileOnStart)
        void reconcile().catch((error: unknown) =>
          deps.print(`SQL segments: cannot read the warehouse yet (${String(error)}); retried on refresh.`),
        );
      app.addHook('onClose', async () => {
        await reconciled?.catch(() => undefined);
        await running?.catch(() => undefined);
        const wh = await warehouse?.catch(() => undefined);
        await wh?.close();
      });
    },
  };
}

/** A refresh as {@link createSqlSegmentRefresh} makes it. */
export type SqlSegmentRefresh = ReturnType<typeof createSqlSegmentRefresh>;
