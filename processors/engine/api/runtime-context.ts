import type { ListState, MapState, ReducingState, ValueState } from '../state/state';
import type {
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../state/state-descriptors';

/** What a rich function gets in `open` (Flink's `RuntimeContext`): keyed state handles and task info. */
export interface RuntimeContext {
  /** Index of the task (group of partitions) running this function, from 0. */
  readonly taskIndex: number;
  readonly parallelism: number;
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
}
