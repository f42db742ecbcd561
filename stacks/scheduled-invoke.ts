import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { Construct } from 'constructs';
import type { StackContext } from './context';
import { allow, ServiceRole } from './iam';
import type { TributaryFunction } from './lambda-function';

/** An EventBridge Scheduler schedule that invokes one function, with a role that can invoke only it. */
export class ScheduledInvoke extends Construct {
  readonly schedule: SchedulerSchedule;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly ctx: StackContext;
      readonly name: string;
      readonly groupName: string;
      readonly expression: string;
      readonly target: TributaryFunction;
      readonly input: Readonly<Record<string, unknown>>;
      readonly maxEventAgeSeconds: number;
    },
  ) {
    super(scope, id);
    const { ctx, target } = props;
    const role = new ServiceRole(this, 'role', {
      name: `${props.name}-sched`,
      service: 'scheduler.amazonaws.com',
      sourceAccount: ctx.accountId,
      statements: [
        allow('InvokeTarget', ['lambda:InvokeFunction'], [target.fn.arn, `${target.fn.arn}:*`]),
        // The schedule is encrypted with the environment key; Scheduler decrypts it as this role.
        allow('DecryptSchedule', ['kms:Decrypt'], [ctx.keyArn]),
      ],
    });
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name: props.name,
      groupName: props.groupName,
      scheduleExpression: props.expression,
      scheduleExpressionTimezone: ctx.config.schedules.timezone,
      flexibleTimeWindow: { mode: 'OFF' },
      kmsKeyArn: ctx.keyArn,
      target: {
        arn: target.fn.arn,
        roleArn: role.role.arn,
        input: JSON.stringify(props.input),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: props.maxEventAgeSeconds },
      },
    });
  }
}
