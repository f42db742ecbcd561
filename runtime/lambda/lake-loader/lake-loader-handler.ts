import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { S3_PREFIXES } from '../../../contracts/aws-resources';
import { partitionKeyOf } from '../../../contracts/normalize-identity';
import type { EventLog } from '../../../contracts/ports/event-log';
import { createEventLogSink } from '../../../services/importer/event-log-sink';
import { MetricUnit, type Observability } from '../shared/observability';
import { readStagedFile } from './staged-lines';

/** Which bucket the loader reads staged imports from. */
export interface LakeLoaderConfig {
  readonly stagingBucket: string;
}

/** The S3 client (built by the entry file) and the event log the staged events go to. */
export interface LakeLoaderDeps extends Observability {
  readonly s3: Pick<S3Client, 'send'>;
  readonly eventLog: EventLog;
}

/** What one invocation did. */
export interface LakeLoaderSummary {
  readonly files: number;
  readonly skipped: number;
  readonly events: number;
  readonly invalidLines: number;
}

/** An S3 object key as S3 notifications send it (URL-encoded, `+` for spaces). */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * The lake loader: for each staged file of an S3 event (`crm-import/` in the staging bucket), reads its
 * canonical events and appends them to the stream with the collector's partition key, waiting for
 * every append (a failure fails the invocation, and S3's retry resends the file; the processors dedupe
 * by event id). Objects outside the staged prefix or bucket are skipped, not read.
 */
export function createLakeLoaderHandler(
  config: LakeLoaderConfig,
  deps: LakeLoaderDeps,
): (event: S3Event) => Promise<LakeLoaderSummary> {
  return async (event) => {
    let files = 0;
    let skipped = 0;
    let events = 0;
    let invalid = 0;
    for (const record of event.Records ?? []) {
      const bucket = record.s3?.bucket?.name;
      const key = decodeS3Key(record.s3?.object?.key ?? '');
      if (bucket !== config.stagingBucket || !key.startsWith(S3_PREFIXES.crmStaged) || key.endsWith('/')) {
        skipped++;
        deps.logger.warn('skipped an object outside the staged imports', { bucket, key });
        continue;
      }
      const object = await deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = await object.Body?.transformToByteArray();
      const staged = readStagedFile(bytes ?? new Uint8Array());
      const sink = createEventLogSink(
        { partitionKey: (e) => partitionKeyOf(e.identity, e.eventId) },
        { eventLog: deps.eventLog },
      );
      for (const e of staged.events) await sink.event(e);
      await sink.close();
      files++;
      events += staged.events.length;
      invalid += staged.invalidLines.length;
      if (staged.invalidLines.length > 0) {
        deps.logger.warn('staged file has invalid lines', {
          key,
          invalidLines: staged.invalidLines.slice(0, 20),
          invalidCount: staged.invalidLines.length,
        });
      }
      deps.logger.info('staged file loaded', { key, events: staged.events.length });
    }
    deps.metrics.addMetric('StagedEventsLoaded', MetricUnit.Count, events);
    deps.metrics.addMetric('StagedLinesInvalid', MetricUnit.Count, invalid);
    deps.metrics.publishStoredMetrics();
    return { files, skipped, events, invalidLines: invalid };
  };
}
