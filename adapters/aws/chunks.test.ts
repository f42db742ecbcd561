import { chunkBySize } from './chunks';

describe('chunkBySize', () => {
  test('cuts at the count limit and at the byte limit, keeping order', () => {
    // Prepare
    const items = [3, 3, 3, 1, 1, 1, 1, 5];

    // Act
    const chunks = chunkBySize(items, { maxCount: 3, maxBytes: 6 }, (n) => n);

    // Assess
    expect(chunks).toEqual([[3, 3], [3, 1, 1], [1, 1], [5]]);
  });

  test('an item larger than the byte limit is refused', () => {
    expect(() => chunkBySize([7], { maxCount: 10, maxBytes: 6 }, (n) => n)).toThrow(/7 bytes/);
  });
});
