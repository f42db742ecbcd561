/** Which clock a timer belongs to (Flink's `TimeDomain`). */
export enum TimeDomain {
  EVENT_TIME = 'EVENT_TIME',
  PROCESSING_TIME = 'PROCESSING_TIME',
}

/**
 * Timers of the current key (Flink's `TimerService`). Registering the same (key, time) twice keeps one
 * timer. Event-time timers fire when the watermark reaches their time; processing-time timers when the
 * injected clock does.
 */
export interface TimerService {
  currentProcessingTime(): number;
  currentWatermark(): number;
  registerEventTimeTimer(time: number): void;
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
}
