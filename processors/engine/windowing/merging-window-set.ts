import type { MergeCallback } from './window-assigner';
import { TimeWindow } from './windows';

/** In-flight windows of one key and the window whose state each uses: `[start, end, stateStart, stateEnd]`. */
export type WindowMapping = Array<[number, number, number, number]>;

const NO_WINDOWS: readonly TimeWindow[] = Object.freeze([]);

/** Receives each merge (Flink's `MergingWindowSet.MergeFunction`). */
export type MergeFunction = (
  mergeResult: TimeWindow,
  mergedWindows: readonly TimeWindow[],
  stateWindowResult: TimeWindow,
  mergedStateWindows: readonly TimeWindow[],
) => void;

/**
 * Tracks the in-flight windows of one key for a merging assigner (Flink's `MergingWindowSet`). A merged
 * window keeps the state of one of its parts (its "state window"), so merging only moves the other
 * parts' state into it. The mapping is plain data and lives in keyed state.
 */
export class MergingWindowSet {
  constructor(
    private readonly mergeWindows: (windows: readonly TimeWindow[], cb: MergeCallback<TimeWindow>) => void,
    public mapping: WindowMapping,
  ) {}

  private indexOf(w: TimeWindow): number {
    const m = this.mapping;
    for (let i = 0; i < m.length; i++) {
      const e = m[i] as [number, number, number, number];
      if (e[0] === w.start && e[1] === w.end) return i;
    }
    return -1;
  }

  /** The window whose state holds `window`'s contents, or undefined if it is not in flight. */
  getStateWindow(window: TimeWindow): TimeWindow | undefined {
    const i = this.indexOf(window);
    if (i < 0) return undefined;
    const e = this.mapping[i] as [number, number, number, number];
    return new TimeWindow(e[2], e[3]);
  }

  /** The end of the state window of `window` (no allocation), or undefined if it is not in flight. */
  getStateWindowEnd(window: TimeWindow): number | undefined {
    const i = this.indexOf(window);
    return i < 0 ? undefined : (this.mapping[i] as [number, number, number, number])[3];
  }

  /** Removes a window that was purged for good (cleaned up or late). */
  retireWindow(window: TimeWindow): void {
    const i = this.indexOf(window);
    if (i < 0) throw new Error(`window ${window.toString()} is not in the in-flight window set`);
    this.mapping.splice(i, 1);
  }

  /** The in-flight windows. */
  windows(): TimeWindow[] {
    return this.mapping.map((e) => new TimeWindow(e[0], e[1]));
  }

  /**
   * Adds a window, merging it with in-flight windows it overlaps; returns the window it ended up in.
   * `mergeFunction` is called for each merge before this returns.
   */
  addWindow(newWindow: TimeWindow, mergeFunction: MergeFunction): TimeWindow {
    // Fast path for the common cases, with the same outcome as the general one below: in-flight windows
    // never intersect each other, so a new window that meets at most one of them needs no sorting.
    const m = this.mapping;
    let hit = -1;
    let hits = 0;
    for (let i = 0; i < m.length; i++) {
      const e = m[i] as [number, number, number, number];
      if (e[0] <= newWindow.end && e[1] >= newWindow.start) {
        hit = i;
        hits++;
      }
    }
    if (hits === 0) {
      m.push([newWindow.start, newWindow.end, newWindow.start, newWindow.end]);
      return newWindow;
    }
    if (hits === 1) {
      const e = m[hit] as [number, number, number, number];
      if (e[0] <= newWindow.start && e[1] >= newWindow.end) return new TimeWindow(e[0], e[1]); // inside: no change
      const existing = new TimeWindow(e[0], e[1]);
      const result = existing.cover(newWindow);
      const stateWindow = new TimeWindow(e[2], e[3]);
      e[0] = result.start;
      e[1] = result.end;
      mergeFunction(result, [existing], stateWindow, NO_WINDOWS);
      return result;
    }
    return this.addWindowGeneral(newWindow, mergeFunction);
  }

  private addWindowGeneral(newWindow: TimeWindow, mergeFunction: MergeFunction): TimeWindow {
    const all = this.windows();
    all.push(newWindow);
    const results: Array<[TimeWindow, TimeWindow[]]> = [];
    this.mergeWindows(all, (toBeMerged, mergeResult) => {
      results.push([mergeResult, [...toBeMerged]]);
    });

    let resultWindow = newWindow;
    let mergedNewWindow = false;
    for (const [mergeResult, mergedWindows] of results) {
      const newIdx = mergedWindows.findIndex((w) => w.equals(newWindow));
      if (newIdx >= 0) {
        mergedWindows.splice(newIdx, 1);
        mergedNewWindow = true;
        resultWindow = mergeResult;
      }
      const first = mergedWindows[0];
      if (first === undefined) continue;
      // Keep the state window of one of the merged parts as the state window of the result.
      const stateWindowResult = this.getStateWindow(first) as TimeWindow;
      const mergedStateWindows: TimeWindow[] = [];
      for (const w of mergedWindows) {
        const sw = this.getStateWindow(w);
        if (sw !== undefined) {
          this.mapping.splice(this.indexOf(w), 1);
          if (!sw.equals(stateWindowResult)) mergedStateWindows.push(sw);
        }
      }
      this.mapping.push([mergeResult.start, mergeResult.end, stateWindowResult.start, stateWindowResult.end]);
      // Merging one in-flight window with a new window inside it changes nothing.
      if (!(mergedWindows.length === 1 && (mergedWindows[0] as TimeWindow).equals(mergeResult))) {
        mergeFunction(mergeResult, mergedWindows, stateWindowResult, mergedStateWindows);
      }
    }
    if (results.length === 0 || (resultWindow.equals(newWindow) && !mergedNewWindow)) {
      this.mapping.push([newWindow.start, newWindow.end, newWindow.start, newWindow.end]);
    }
    return resultWindow;
  }
}
