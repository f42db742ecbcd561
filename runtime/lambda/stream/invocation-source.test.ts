import { InvocationSource } from './invocation-source';

const rec = (shardId: string, sequenceNumber: string) => ({ shardId, sequenceNumber, data: '{}' });

describe('InvocationSource', () => {
  it('declares the checkpoint shards and the batch shards, in a stable order', () => {
    // Act
    const source = new InvocationSource(new Map([['shard-b', '100']]), ['shard-a', 'shard-b']);
    // Assess
    expect(source.partitions()).toEqual(['shard-a', 'shard-b']);
  });

  it('refuses records at or below the applied sequence number, comparing by length then text', async () => {
    // Prepare
    const source = new InvocationSource(new Map([['s', '99']]), ['s']);
    // Act
    const answers = [
      source.push(rec('s', '98')),
      source.push(rec('s', '99')),
      source.push(rec('s', '100')),
      source.push(rec('s', '100')),
      source.push(rec('s', '101')),
    ];
    const batch = await source.createReader('s', '99').poll(10);
    // Assess
    expect(answers).toEqual([false, false, true, false, true]);
    expect(batch.records.map((r) => r.sequenceNumber)).toEqual(['100', '101']);
    expect(batch.nextOffset).toBe('101');
  });

  it('keeps the offset of a shard that received nothing', async () => {
    // Prepare
    const source = new InvocationSource(new Map([['idle', '42']]), ['busy']);
    // Act
    const batch = await source.createReader('idle', '42').poll(10);
    // Assess
    expect(batch).toEqual({ records: [], nextOffset: '42' });
  });
});
