import { InvocationSource } from './invocation-source';

const rec = (shardId: string, sequenceNumber: string) => ({ shardId, sequenceNumber, data: '{}' });

describe('InvocationSource', () => {
  it('declares the checkpoint shards and the batch shards, in a stable order', () => {
    // Act
    const source = new InvocationSource(new Map([['shard-b', '100']]), ['shard-a', 'shard-b']);
    // Assess
    expect(source.partitions()).toEqual(['shard-a', 'shard-b']);
  });

  it('hands records over in push order; the offset is the highest sequence number, by length then text', async () => {
    // Prepare: interleaved batches of one shard (parallelization factor > 1) arrive out of order
    const source = new InvocationSource(new Map([['s', '99']]), ['s']);
    for (const seq of ['98', '100', '11']) source.push(rec('s', seq));
    // Act
    const batch = await source.createReader('s', '99').poll(10);
    // Assess
    expect(batch.records.map((r) => r.sequenceNumber)).toEqual(['98', '100', '11']);
    expect(batch.nextOffset).toBe('100');
  });

  it('keeps the offset of a shard that received nothing, and refuses undeclared shards', async () => {
    // Prepare
    const source = new InvocationSource(new Map([['idle', '42']]), ['busy']);
    // Act
    const batch = await source.createReader('idle', '42').poll(10);
    // Assess
    expect(batch).toEqual({ records: [], nextOffset: '42' });
    expect(() => source.push(rec('other', '1'))).toThrow(/not declared/);
  });
});
