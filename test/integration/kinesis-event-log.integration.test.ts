import { PutRecordsCommand, type PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { AwsAdapterError } from '../../adapters/aws/aws-adapter-error';
import { createKinesisEventLog, PUT_RECORDS_LIMITS } from '../../adapters/aws/kinesis-event-log';
import type { KinesisRecord } from '../../adapters/aws/kinesis-shard-reader';
import { describeWithAws } from './harness/aws-test-environment';
import { interceptSend, serviceError } from './harness/fault-injection';
import { testEvent, testRecords } from './harness/fixtures';
import { eventOf, readStream } from './lambda-support/read-stream';

const FAST = { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5 };

describeWithAws('Kinesis event log (PutRecords) against kinesis-local', ['kinesis'], (env) => {
  afterAll(async () => {});

  const readAll = (stream: string) => readStream(env().clients.kinesis, stream);
  const eventIds = (records: readonly KinesisRecord[]) => records.map((r) => eventOf(r).eventId).sort();

  test('appends 1,234 events in chunks of ≤ 500; each is on the stream once, where append said', async () => {
    // Prepare
    const { names } = await env().create({ streamShards: 2 });
    const observed = interceptSend(env().clients.kinesis, ['PutRecordsCommand'], (c) =>
      c.send(c.command.input),
    );
    const log = createKinesisEventLog({ streamName: names.stream }, { kinesis: observed.client });
    const records = testRecords(1_234);

    // Act
    const appended = await log.append(records);

    // Assess
    expect(observed.calls.PutRecordsCommand).toBe(3);
    const onStream = await readAll(names.stream);
    expect(eventIds(onStream)).toEqual(records.map((r) => r.event.eventId).sort());
    const bySequence = new Map(onStream.map((r) => [`${r.shardId}/${r.sequenceNumber}`, r]));
    appended.forEach((a, i) => {
      const r = bySequence.get(`${a.shardId}/${a.sequenceNumber}`);
      expect(r?.partitionKey).toBe(records[i]!.partitionKey);
    });
  });

  test('PutRecords partially failing: only refused records are resent, none lost, none twice', async () => {
    // Prepare: the first two attempts of each request refuse every third record (never sent).
    const { names } = await env().create({ streamShards: 2 });
    const resentSizes: number[] = [];
    const faulty = interceptSend(env().clients.kinesis, ['PutRecordsCommand'], async (c) => {
      const input = c.command.input as {
        StreamName: string;
        Records: { Data: Uint8Array; PartitionKey: string }[];
      };
      resentSizes.push(input.Records.length);
      const refuse = (i: number) => c.call <= 2 && i % 3 === 0;
      const passed = input.Records.filter((_, i) => !refuse(i));
      const real = (await c.send({ ...input, Records: passed })) as PutRecordsCommandOutput;
      let next = 0;
      return {
        ...real,
        FailedRecordCount: input.Records.length - passed.length,
        Records: input.Records.map((_, i) =>
          refuse(i)
            ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' }
            : real.Records![next++]!,
        ),
      };
    });
    const sleeps: number[] = [];
    const log = createKinesisEventLog(
      { streamName: names.stream, retry: FAST },
      { kinesis: faulty.client, sleep: async (ms) => void sleeps.push(ms) },
    );
    const records = testRecords(300, 10_000);

    // Act
    const appended = await log.append(records);

    // Assess
    expect(resentSizes).toEqual([300, 100, 34]);
    expect(sleeps).toHaveLength(2);
    const onStream = await readAll(names.stream);
    expect(eventIds(onStream)).toEqual(records.map((r) => r.event.eventId).sort());
    expect(new Set(appended.map((a) => a.sequenceNumber)).size).toBe(300);
  });

  test('throttled whole requests are retried with backoff until taken', async () => {
    // Prepare
    const { names } = await env().create({ streamShards: 1 });
    const throttled = interceptSend(env().clients.kinesis, ['PutRecordsCommand'], (c) => {
      if (c.call <= 3) throw serviceError('ProvisionedThroughputExceededException', 400, true);
      return c.send(c.command.input);
    });
    const log = createKinesisEventLog(
      { streamName: names.stream, retry: FAST },
      { kinesis: throttled.client, sleep: async () => {} },
    );
    const records = testRecords(20, 20_000);

    // Act
    await log.append(records);

    // Assess
    expect(throttled.calls.PutRecordsCommand).toBe(4);
    expect(eventIds(await readAll(names.stream))).toEqual(records.map((r) => r.event.eventId).sort());
  });

  test('records refused to the last attempt reject append with a throttling AwsAdapterError and its cause', async () => {
    // Prepare: one record of ten is always refused.
    const { names } = await env().create({ streamShards: 1 });
    const faulty = interceptSend(env().clients.kinesis, ['PutRecordsCommand'], async (c) => {
      const input = c.command.input as { Records: { PartitionKey: string }[] };
      const keep = input.Records.filter((r) => r.PartitionKey !== 'stuck');
      const real = (await c.send({ ...input, Records: keep })) as PutRecordsCommandOutput;
      let next = 0;
      return {
        ...real,
        Records: input.Records.map((r) =>
          r.PartitionKey === 'stuck'
            ? { ErrorCode: 'ProvisionedThroughputExceededException' }
            : real.Records![next++]!,
        ),
      };
    });
    const sleeps: number[] = [];
    const log = createKinesisEventLog(
      { streamName: names.stream, retry: FAST },
      { kinesis: faulty.client, sleep: async (ms) => void sleeps.push(ms), random: () => 0.999 },
    );
    const records = testRecords(10, 30_000).map((r, i) => (i === 4 ? { ...r, partitionKey: 'stuck' } : r));

    // Act
    const outcome = await log.append(records).then(
      () => undefined,
      (e: unknown) => e,
    );

    // Assess
    expect(outcome).toBeInstanceOf(AwsAdapterError);
    const error = outcome as AwsAdapterError;
    expect(error.throttled).toBe(true);
    expect(error.message).toContain('1 of 10');
    expect(error.cause).toEqual({ errorCodes: ['ProvisionedThroughputExceededException'] });
    expect(faulty.calls.PutRecordsCommand).toBe(FAST.maxAttempts);
    expect(sleeps).toEqual([0, 1, 3, 4, 4]); // full jitter: below min(5, 1·2ⁿ⁻¹)
    expect(eventIds(await readAll(names.stream))).toEqual(
      records
        .filter((_, i) => i !== 4)
        .map((r) => r.event.eventId)
        .sort(),
    );
  });

  test('a batch over 5 MiB goes as several requests, each within the limits', async () => {
    // Prepare: 7 events of ~900 KB each (6.3 MB).
    const { names } = await env().create({ streamShards: 1 });
    const requestBytes: number[] = [];
    const observed = interceptSend(env().clients.kinesis, ['PutRecordsCommand'], (c) => {
      const input = c.command.input as { Records: { Data: Uint8Array; PartitionKey: string }[] };
      requestBytes.push(input.Records.reduce((n, r) => n + r.Data.byteLength + r.PartitionKey.length, 0));
      return c.send(input);
    });
    const log = createKinesisEventLog({ streamName: names.stream }, { kinesis: observed.client });
    const big = 'x'.repeat(900_000);
    const records = Array.from({ length: 7 }, (_, i) => {
      const event = testEvent(40_000 + i, { properties: { big } });
      return { partitionKey: `p${i}`, event };
    });

    // Act
    await log.append(records);

    // Assess
    expect(requestBytes.length).toBe(2);
    for (const b of requestBytes) expect(b).toBeLessThanOrEqual(PUT_RECORDS_LIMITS.maxRequestBytes);
    expect(eventIds(await readAll(names.stream))).toEqual(records.map((r) => r.event.eventId).sort());
  });

  test('a record over 1 MiB and a missing stream are refused with clear errors', async () => {
    // Prepare
    const log = createKinesisEventLog(
      { streamName: 'it-no-such-stream' },
      { kinesis: env().clients.kinesis },
    );
    const huge = { partitionKey: 'k', event: testEvent(1, { properties: { big: 'x'.repeat(1_100_000) } }) };

    // Act
    const tooBig = await log.append([huge]).catch((e: unknown) => e);
    const missing = await log.append(testRecords(1)).catch((e: unknown) => e);

    // Assess
    expect(tooBig).toBeInstanceOf(AwsAdapterError);
    expect((tooBig as Error).message).toMatch(/record 0 is \d+ bytes/);
    expect(missing).toBeInstanceOf(AwsAdapterError);
    expect(((missing as Error).cause as Error).name).toBe('ResourceNotFoundException');
  });
});

test('PutRecordsCommand is the command the log sends (the interception above keys on its name)', () => {
  expect(new PutRecordsCommand({ Records: [], StreamName: 's' }).constructor.name).toBe('PutRecordsCommand');
});
