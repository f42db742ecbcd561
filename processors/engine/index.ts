// Tributary's stream processing engine: Flink's event-time semantics and names, no dependencies.
// See README.md in this folder for the guide.

export { DataStream, KeyedStream, SingleOutputStreamOperator, WindowedStream } from './api/data-stream';
export type { KeyedProcessContext, KeyedProcessFunction, OnTimerContext } from './api/keyed-process-function';
export type { RuntimeContext } from './api/runtime-context';
export {
  type EnvironmentConfig,
  type JobOptions,
  StreamExecutionEnvironment,
} from './api/stream-execution-environment';
export { TimeDomain, type TimerService } from './api/timer-service';
export type { SinkOptions, Transformation } from './api/transformation';
export {
  type Checkpoint,
  type CheckpointStorage,
  InMemoryCheckpointStorage,
  type OperatorCheckpoint,
  type PartitionCheckpoint,
  type TaskCheckpoint,
} from './checkpoint/checkpoint';
export {
  FileCheckpointStorage,
  type FileCheckpointStorageConfig,
} from './checkpoint/file-checkpoint-storage';
export { CollectSink } from './connectors/collect-sink';
export {
  batchSize,
  type DeserializationSchema,
  DeserializingBatch,
  DeserializingSource,
} from './connectors/deserializing-source';
export { InMemorySource, type InMemorySourceOptions } from './connectors/in-memory-source';
export type { Sink, SinkWriter } from './connectors/sink';
export type { Offset, Source, SourceBatch, SourceReader } from './connectors/source';
export type {
  AggregateFunction,
  Collector,
  FilterFunction,
  FlatMapFunction,
  Key,
  KeySelector,
  MapFunction,
  ReduceFunction,
} from './functions';
export { OutputTag } from './output-tag';
export { Job, type JobResult, type RunOptions } from './runtime/job';
export { createInMemoryStateBackend, InMemoryKeyedStateBackend } from './state/in-memory-state-backend';
export type { ListState, MapState, ReducingState, State, ValueState } from './state/state';
export type { KeyedStateBackend, KeyedStateSnapshot, StateBackend, StateKey } from './state/state-backend';
export {
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from './state/state-descriptors';
export { StateTtlConfig, StateTtlConfigBuilder, StateVisibility, UpdateType } from './state/state-ttl-config';
export {
  KeyedOneInputStreamOperatorTestHarness,
  type StreamRecord,
  type WatermarkRecord,
  type WindowSpec,
} from './testing/operator-test-harness';
export { runToCompletion } from './testing/run-to-completion';
export { type Clock, MAX_WATERMARK, ManualClock, MIN_WATERMARK, systemClock } from './time';
export {
  BoundedOutOfOrdernessWatermarks,
  type TimestampAssigner,
  type WatermarkGenerator,
  type WatermarkOutput,
  WatermarkStrategy,
  WatermarksWithIdleness,
} from './watermark/watermark-strategy';
export { CumulativeEventTimeWindows } from './windowing/assigners/cumulative-event-time-windows';
export { EventTimeSessionWindows, mergeTimeWindows } from './windowing/assigners/event-time-session-windows';
export { GlobalWindows } from './windowing/assigners/global-windows';
export { SlidingEventTimeWindows } from './windowing/assigners/sliding-event-time-windows';
export { TumblingEventTimeWindows } from './windowing/assigners/tumbling-event-time-windows';
export { TumblingProcessingTimeWindows } from './windowing/assigners/tumbling-processing-time-windows';
export type { ProcessWindowContext, ProcessWindowFunction } from './windowing/process-window-function';
export {
  isFire,
  isPurge,
  type OnMergeContext,
  type Trigger,
  type TriggerContext,
  TriggerResult,
} from './windowing/trigger';
export { ContinuousEventTimeTrigger } from './windowing/triggers/continuous-event-time-trigger';
export { CountTrigger } from './windowing/triggers/count-trigger';
export { EventTimeTrigger } from './windowing/triggers/event-time-trigger';
export { NeverTrigger } from './windowing/triggers/never-trigger';
export { ProcessingTimeTrigger } from './windowing/triggers/processing-time-trigger';
export { PurgingTrigger } from './windowing/triggers/purging-trigger';
export {
  isMergingAssigner,
  type MergeCallback,
  type WindowAssigner,
  type WindowAssignerContext,
} from './windowing/window-assigner';
export { GlobalWindow, TimeWindow, type Window, windowFromBounds } from './windowing/windows';
