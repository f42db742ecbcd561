import { gunzipSync } from 'node:zlib';
import type { PutRecordBatchCommandOutput } from '@aws-sdk/client-firehose';
import { AwsAdapterError } from '../../adapters/aws/aws-adapter-error';
import { createFirehoseLakeWriter } from '../../adapters/aws/firehose-lake-writer';
import { createS3LakeWriter } from '../../adapters/aws/s3-lake-writer';
import { createS3Objects, type S3Objects } from '../../adapters/aws/s3-objects';
import type { ResourceNames } from '../../contracts/aws-resources';
import type { LakeRecord } from '../../contracts/ports/lake-writer';
import { describeWithAws } from './harness/aws-test-environment';
import { interceptSend } from './harness/fault-injection';
import { testEvent } from './harness/fixtures';

const SERVICES = ['firehose', 's3'] as const;
const FAST = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 };
const eventRows = (count: number, from = 0): LakeRecord[] =>
  Array.from({ length: count }, (_, i) => {
    const event = testEvent(from + i);
    return { table: 'events', timestamp: event.timestamp, row: event };
  });

describeWithAws('lake writers: Firehose (PutRecordBatch) and S3 against moto', SERVICES, (env) => {
  let names: ResourceNames;
  let objects: S3Objects;
  beforeAll(async () => {
    objects = createS3Objects({}, { s3: env().clients.s3 });
  });
  beforeEach(async () => {
    await env().reset();
    names = (await env().create({ buckets: ['lake', 'staging'], firehose: true })).names;
  });

  /** Every JSON line Firehose delivered to the lake bucket (moto writes one object per call). */
  async function deliveredLines(): Promise<{ eventId: string }[]> {
    const lake = names.buckets!.lake;
    const lines: { eventId: string }[] = [];
    for (const key of await objects.listKeys(lake, '')) {
      const text = (await objects.get(lake, key))!.body.toString('utf8');
      for (const line of text.split('\n')) if (line !== '') lines.push(JSON.parse(line));
    }
    return lines;
  }

  test('1,100 rows go as PutRecordBatch calls of ≤ 500 and land once each, as JSON lines', async () => {
    // Prepare
    const observed = interceptSend(env().clients.firehose, ['PutRecordBatchCommand'], (c) =>
      c.send(c.command.input),
    );
    const writer = createFirehoseLakeWriter(
      { deliveryStreams: { events: names.firehose }, sendAtRecords: 10_000 },
      { firehose: observed.client },
    );
    const rows = eventRows(1_100);

    // Act
    await writer.write(rows);
    await writer.flush();

    // Assess
    expect(observed.calls.PutRecordBatchCommand).toBe(3);
    const lines = await deliveredLines();
    expect(lines.map((l) => l.eventId).sort()).toEqual(
      rows.map((r) => (r.row as { eventId: string }).eventId).sort(),
    );
    expect(lines[0]).toEqual(
      rows.find((r) => (r.row as { eventId: string }).eventId === lines[0]!.eventId)!.row,
    );
  });

  test('records Firehose refuses are sent again, and only they: none lost, none twice', async () => {
    // Prepare: the first two calls refuse every fourth record.
    const faulty = interceptSend(env().clients.firehose, ['PutRecordBatchCommand'], async (c) => {
      const input = c.command.input as { DeliveryStreamName: string; Records: { Data: Uint8Array }[] };
      const refuse = (i: number) => c.call <= 2 && i % 4 === 0;
      const passed = input.Records.filter((_, i) => !refuse(i));
      const real = (await c.send({ ...input, Records: passed })) as PutRecordBatchCommandOutput;
      let next = 0;
      return {
        ...real,
        FailedPutCount: input.Records.length - passed.length,
        RequestResponses: input.Records.map((_, i) =>
          refuse(i)
            ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }
            : real.RequestResponses![next++]!,
        ),
      };
    });
    const writer = createFirehoseLakeWriter(
      { deliveryStreams: { events: names.firehose }, retry: FAST },
      { firehose: faulty.client, sleep: async () => {} },
    );
    const rows = eventRows(41, 100);

    // Act
    await writer.write(rows);
    await writer.flush();

    // Assess
    expect(faulty.calls.PutRecordBatchCommand).toBe(3);
    expect((await deliveredLines()).map((l) => l.eventId).sort()).toEqual(
      rows.map((r) => (r.row as { eventId: string }).eventId).sort(),
    );
  });

  test('a flush that fails keeps the refused rows; the next flush delivers them exactly once', async () => {
    // Prepare
    let broken = true;
    const flaky = interceptSend(env().clients.firehose, ['PutRecordBatchCommand'], async (c) => {
      const input = c.command.input as { Records: { Data: Uint8Array }[] };
      if (!broken) return c.send(input);
      const keep = c.call === 1 ? 5 : 0; // the first call takes 5 records, later ones none
      const real =
        keep === 0
          ? { RequestResponses: [] }
          : ((await c.send({
              ...input,
              Records: input.Records.slice(0, keep),
            })) as PutRecordBatchCommandOutput);
      return {
        ...real,
        FailedPutCount: input.Records.length - keep,
        RequestResponses: input.Records.map((_, i) =>
          i < keep ? real.RequestResponses![i]! : { ErrorCode: 'ServiceUnavailableException' },
        ),
      };
    });
    const writer = createFirehoseLakeWriter(
      { deliveryStreams: { events: names.firehose }, retry: FAST },
      { firehose: flaky.client, sleep: async () => {} },
    );
    const rows = eventRows(12, 200);
    await writer.write(rows);

    // Act
    const failed = await writer.flush().catch((e: unknown) => e);
    broken = false;
    await writer.flush();

    // Assess
    expect(failed).toBeInstanceOf(AwsAdapterError);
    expect((failed as AwsAdapterError).throttled).toBe(true);
    expect((await deliveredLines()).map((l) => l.eventId).sort()).toEqual(
      rows.map((r) => (r.row as { eventId: string }).eventId).sort(),
    );
  });

  test('a table without a delivery stream is refused at write', async () => {
    const writer = createFirehoseLakeWriter({ deliveryStreams: {} }, { firehose: env().clients.firehose });
    await expect(writer.write(eventRows(1))).rejects.toThrow(/no Firehose delivery stream .* events/);
  });

  test('the S3 lake writer lands side outputs as GZIP JSON lines under dt= partitions', async () => {
    // Prepare
    let n = 0;
    const writer = createS3LakeWriter({ buckets: names.buckets! }, { objects, objectId: () => `t${n++}` });
    const link = (day: string, i: number): LakeRecord => ({
      table: 'identity_links',
      timestamp: `${day}T10:00:00.000Z`,
      row: {
        from_type: 'user_id',
        from_value: `u${i}`,
        to_type: 'email',
        to_value: `m${i}@x.io`,
        event_id: `e${i}`,
      },
    });
    const rows = [link('2024-05-01', 1), link('2024-05-02', 2), link('2024-05-01', 3)];

    // Act
    await writer.write(rows);
    await writer.flush();
    await writer.flush(); // nothing buffered: writes nothing

    // Assess
    const lake = names.buckets!.lake;
    const keys = await objects.listKeys(lake, 'identity_links/');
    expect(keys).toEqual([
      'identity_links/dt=2024-05-01/part-t0.json.gz',
      'identity_links/dt=2024-05-02/part-t1.json.gz',
    ]);
    const first = gunzipSync((await objects.get(lake, keys[0]!))!.body).toString('utf8');
    expect(first).toBe(`${JSON.stringify(rows[0]!.row)}\n${JSON.stringify(rows[2]!.row)}\n`);
  });

  test('S3 objects: put encrypted, get, list across pages, delete', async () => {
    // Prepare
    const bucket = names.buckets!.staging;
    const keys = Array.from({ length: 25 }, (_, i) => `crm/${String(i).padStart(4, '0')}.csv`);

    // Act
    await Promise.all(
      keys.slice(0, 3).map((k) => objects.put(bucket, k, 'a,b\n1,2\n', { contentType: 'text/csv' })),
    );
    for (let i = 3; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((k) => objects.put(bucket, k, 'x')));
    }
    const paged = interceptSend(env().clients.s3, ['ListObjectsV2Command'], (c) => c.send(c.command.input));
    const listed = await createS3Objects({}, { s3: paged.client }).listKeys(bucket, 'crm/', { pageSize: 10 });
    const got = await objects.get(bucket, keys[0]!);
    await objects.delete(bucket, keys);

    // Assess
    expect(listed).toEqual(keys);
    expect(paged.calls.ListObjectsV2Command).toBe(3);
    expect(got?.body.toString('utf8')).toBe('a,b\n1,2\n');
    expect(got?.contentType).toBe('text/csv');
    expect(await objects.get(bucket, 'crm/none.csv')).toBeUndefined();
    expect(await objects.listKeys(bucket, 'crm/')).toEqual([]);
  });
});
