import { compareSequenceNumbers, isAlreadyApplied, withAppliedSequence } from './kinesis-sequence';

describe('Kinesis sequence numbers', () => {
  test('compare as numbers of any length', () => {
    expect(compareSequenceNumbers('9', '10')).toBe(-1);
    expect(
      compareSequenceNumbers(
        '49590338271490256608559692538361571095921575989136588802',
        '49590338271490256608559692538361571095921575989136588801',
      ),
    ).toBe(1);
    expect(compareSequenceNumbers('42', '42')).toBe(0);
  });

  test('a record at or before the last applied one of its shard was applied; other shards are independent', () => {
    // Prepare
    const applied = { 'shardId-000': '100' };

    // Act / Assess
    expect(isAlreadyApplied(applied, 'shardId-000', '99')).toBe(true);
    expect(isAlreadyApplied(applied, 'shardId-000', '100')).toBe(true);
    expect(isAlreadyApplied(applied, 'shardId-000', '101')).toBe(false);
    expect(isAlreadyApplied(applied, 'shardId-001', '1')).toBe(false);
    expect(withAppliedSequence(applied, 'shardId-000', '50')).toEqual(applied);
    expect(withAppliedSequence(applied, 'shardId-000', '101')).toEqual({ 'shardId-000': '101' });
  });
});
