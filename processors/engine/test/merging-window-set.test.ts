import { mergeTimeWindows, TimeWindow } from '../index';
import { MergingWindowSet } from '../windowing/merging-window-set';

/** Records what the set asked to merge (Flink's MergingWindowSetTest.TestingMergeFunction). */
function recorder() {
  const calls: Array<{
    target: TimeWindow;
    merged: TimeWindow[];
    stateTarget: TimeWindow;
    mergedState: TimeWindow[];
  }> = [];
  return {
    calls,
    fn: (
      target: TimeWindow,
      merged: readonly TimeWindow[],
      stateTarget: TimeWindow,
      mergedState: readonly TimeWindow[],
    ) => {
      calls.push({ target, merged: [...merged], stateTarget, mergedState: [...mergedState] });
    },
  };
}

const w = (s: number, e: number) => new TimeWindow(s, e);

describe('MergingWindowSet (in the style of Flink MergingWindowSetTest)', () => {
  test('incremental merging keeps one state window per merged window', () => {
    const set = new MergingWindowSet(mergeTimeWindows, []);
    const m = recorder();

    expect(set.addWindow(w(0, 4), m.fn)).toEqual(w(0, 4));
    expect(m.calls).toHaveLength(0);
    expect(set.getStateWindow(w(0, 4))).toEqual(w(0, 4));

    // Overlaps: merge result keeps [0,4)'s state; nothing else had state.
    expect(set.addWindow(w(2, 5), m.fn)).toEqual(w(0, 5));
    expect(m.calls).toEqual([{ target: w(0, 5), merged: [w(0, 4)], stateTarget: w(0, 4), mergedState: [] }]);
    expect(set.getStateWindow(w(0, 5))).toEqual(w(0, 4));
    expect(set.getStateWindow(w(0, 4))).toBeUndefined();

    // Inside an existing window: no merge call.
    m.calls.length = 0;
    expect(set.addWindow(w(1, 2), m.fn)).toEqual(w(0, 5));
    expect(m.calls).toHaveLength(0);

    // Touching extends it.
    expect(set.addWindow(w(5, 6), m.fn)).toEqual(w(0, 6));
    expect(m.calls).toHaveLength(1);

    // A separate window has its own state window.
    m.calls.length = 0;
    expect(set.addWindow(w(10, 11), m.fn)).toEqual(w(10, 11));
    expect(m.calls).toHaveLength(0);
    expect(set.addWindow(w(8, 12), m.fn)).toEqual(w(8, 12));
    expect(set.getStateWindow(w(8, 12))).toEqual(w(10, 11));

    // A bridging window merges both: one state window survives, the other is merged into it.
    m.calls.length = 0;
    expect(set.addWindow(w(6, 9), m.fn)).toEqual(w(0, 12));
    expect(m.calls).toHaveLength(1);
    const call = m.calls[0];
    expect(call?.target).toEqual(w(0, 12));
    expect(call?.merged).toEqual(expect.arrayContaining([w(0, 6), w(8, 12)]));
    expect(call?.merged).toHaveLength(2);
    const survivors = [w(0, 4), w(10, 11)];
    expect(survivors).toContainEqual(call?.stateTarget);
    expect(call?.mergedState).toEqual(survivors.filter((x) => !x.equals(call?.stateTarget as TimeWindow)));
    expect(set.windows()).toEqual([w(0, 12)]);
  });

  test('retiring removes a window; retiring an unknown window is an error', () => {
    const set = new MergingWindowSet(mergeTimeWindows, []);
    const m = recorder();
    set.addWindow(w(0, 4), m.fn);
    set.addWindow(w(10, 14), m.fn);
    set.retireWindow(w(0, 4));
    expect(set.windows()).toEqual([w(10, 14)]);
    expect(() => set.retireWindow(w(0, 4))).toThrow(/not in the in-flight window set/);
  });

  test('the mapping is plain data: a set rebuilt from it behaves the same', () => {
    const set = new MergingWindowSet(mergeTimeWindows, []);
    const m = recorder();
    set.addWindow(w(0, 4), m.fn);
    set.addWindow(w(2, 6), m.fn);
    const copy = new MergingWindowSet(mergeTimeWindows, structuredClone(set.mapping));
    expect(copy.getStateWindow(w(0, 6))).toEqual(w(0, 4));
    expect(copy.addWindow(w(6, 8), m.fn)).toEqual(w(0, 8));
  });
});
