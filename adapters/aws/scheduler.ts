import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { AwsAdapterError } from './aws-adapter-error';
import { describeError } from './retry';

/** A schedule that invokes a target (a Lambda function) with a fixed JSON input. */
export interface ScheduleDefinition {
  readonly name: string;
  readonly groupName: string;
  /** `rate(15 minutes)`, `cron(0 3 * * ? *)` or `at(2024-05-01T03:00:00)`. */
  readonly expression: string;
  readonly timezone?: string;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly target: {
    readonly arn: string;
    /** The role EventBridge Scheduler assumes to invoke the target. */
    readonly roleArn: string;
    readonly input?: unknown;
    /** Attempts and event age before Scheduler gives up (it retries a failed invoke). */
    readonly maximumRetryAttempts?: number;
    readonly maximumEventAgeSeconds?: number;
    readonly deadLetterArn?: string;
  };
  /** Customer-managed KMS key that encrypts the schedule's input. */
  readonly kmsKeyArn?: string;
}

/** A stored schedule as read back. */
export interface StoredSchedule {
  readonly name: string;
  readonly expression: string;
  readonly state: string | undefined;
  readonly targetArn: string | undefined;
  readonly input: unknown;
}

const EXPRESSION =
  /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\)|at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\))$/;

/** The CreateSchedule / UpdateSchedule input of a definition (both take the full schedule). */
export function scheduleInput(def: ScheduleDefinition): CreateScheduleCommandInput {
  if (!EXPRESSION.test(def.expression)) {
    throw new AwsAdapterError(
      `schedule expression "${def.expression}" is not rate(N unit), cron(6 fields) or at(yyyy-mm-ddThh:mm:ss)`,
    );
  }
  return {
    Name: def.name,
    GroupName: def.groupName,
    ScheduleExpression: def.expression,
    ...(def.timezone === undefined ? {} : { ScheduleExpressionTimezone: def.timezone }),
    ...(def.description === undefined ? {} : { Description: def.description }),
    State: def.enabled === false ? 'DISABLED' : 'ENABLED',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ...(def.kmsKeyArn === undefined ? {} : { KmsKeyArn: def.kmsKeyArn }),
    Target: {
      Arn: def.target.arn,
      RoleArn: def.target.roleArn,
      ...(def.target.input === undefined ? {} : { Input: JSON.stringify(def.target.input) }),
      RetryPolicy: {
        MaximumRetryAttempts: def.target.maximumRetryAttempts ?? 3,
        MaximumEventAgeInSeconds: def.target.maximumEventAgeSeconds ?? 3_600,
      },
      ...(def.target.deadLetterArn === undefined
        ? {}
        : { DeadLetterConfig: { Arn: def.target.deadLetterArn } }),
    },
  };
}

/** Creating, updating and removing EventBridge Scheduler schedules (the segment refresh, the idle tick). */
export interface Schedules {
  /** Creates the schedule, or replaces it when one of that name exists; answers which happened. */
  upsert(def: ScheduleDefinition): Promise<'created' | 'updated'>;
  get(groupName: string, name: string): Promise<StoredSchedule | undefined>;
  /** Deletes the schedule; a missing one is no error. */
  remove(groupName: string, name: string): Promise<void>;
}

/** Creates {@link Schedules} over a Scheduler client built by the entry file. */
export function createSchedules(deps: { readonly scheduler: Pick<SchedulerClient, 'send'> }): Schedules {
  const fail = (what: string, error: unknown): never => {
    throw new AwsAdapterError(`${what} failed: ${describeError(error)}`, { cause: error });
  };
  const nameOf = (error: unknown) => (error as { name?: string }).name;
  return {
    async upsert(def) {
      const input = scheduleInput(def);
      try {
        await deps.scheduler.send(new CreateScheduleCommand(input));
        return 'created';
      } catch (error) {
        if (nameOf(error) !== 'ConflictException') return fail(`CreateSchedule ${def.name}`, error);
      }
      try {
        await deps.scheduler.send(new UpdateScheduleCommand(input));
        return 'updated';
      } catch (error) {
        return fail(`UpdateSchedule ${def.name}`, error);
      }
    },
    async get(groupName, name) {
      try {
        const res = await deps.scheduler.send(new GetScheduleCommand({ GroupName: groupName, Name: name }));
        return {
          name,
          expression: res.ScheduleExpression ?? '',
          state: res.State,
          targetArn: res.Target?.Arn,
          input: res.Target?.Input === undefined ? undefined : JSON.parse(res.Target.Input),
        };
      } catch (error) {
        if (nameOf(error) === 'ResourceNotFoundException') return undefined;
        return fail(`GetSchedule ${name}`, error);
      }
    },
    async remove(groupName, name) {
      try {
        await deps.scheduler.send(new DeleteScheduleCommand({ GroupName: groupName, Name: name }));
      } catch (error) {
        if (nameOf(error) !== 'ResourceNotFoundException') fail(`DeleteSchedule ${name}`, error);
      }
    },
  };
}
