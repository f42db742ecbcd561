import { batchSize, DeserializingBatch, DeserializingSource } from '../connectors/deserializing-source';
import { InMemorySource } from '../connectors/in-memory-source';
import type { SourceBatch } from '../connectors/source';

describe('DeserializingSource', () => {
  test('a polled batch deserializes nothing until its records are read, then each record once', () => {
    // Arrange
    let calls = 0;
    const source = new DeserializingSource(new InMemorySource([['1', '2', '3']]), (line: string) => {
      calls++;
      return Number(line);
    });
    const [partition] = source.partitions();

    // Act
    const batch = source.createReader(partition as string, undefined).poll(10) as SourceBatch<number>;

    // Assert
    expect(batch).toBeInstanceOf(DeserializingBatch);
    expect(batchSize(batch)).toBe(3);
    expect(calls).toBe(0);
    expect(batch.records).toEqual([1, 2, 3]);
    expect(batch.records).toEqual([1, 2, 3]);
    expect(calls).toBe(3);
    expect(batch.endOfPartition).toBe(true);
  });
});
