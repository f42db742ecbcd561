import { AwsAdapterError } from './aws-adapter-error';
import { getJobRunInput, startJobRunInput } from './glue-jobs';
import { scheduleInput } from './scheduler';

describe('Glue request shaping', () => {
  test('arguments get the -- prefix; a retry names the earlier run', () => {
    // Prepare / Act
    const input = startJobRunInput({
      jobName: 'tributary-dev-crm-import',
      arguments: { 'input-path': 's3://imports/crm/b1/', batch_id: 'b1' },
      retryOfRunId: 'jr_123',
      timeoutMinutes: 30,
    });

    // Assess
    expect(input).toEqual({
      JobName: 'tributary-dev-crm-import',
      Arguments: { '--input-path': 's3://imports/crm/b1/', '--batch_id': 'b1' },
      JobRunId: 'jr_123',
      Timeout: 30,
    });
    expect(getJobRunInput('j', 'r')).toEqual({ JobName: 'j', RunId: 'r', PredecessorsIncluded: false });
  });

  test('an argument written with its own -- is refused, not doubled', () => {
    expect(() => startJobRunInput({ jobName: 'j', arguments: { '--input-path': 'x' } })).toThrow(
      AwsAdapterError,
    );
  });
});

describe('Scheduler request shaping', () => {
  const target = { arn: 'arn:aws:lambda:us-east-1:1:function:f', roleArn: 'arn:aws:iam::1:role/r' };

  test('a schedule has no flexible window, a bounded retry policy and its input as JSON', () => {
    // Prepare / Act
    const input = scheduleInput({
      name: 'segment-refresh',
      groupName: 'tributary-dev',
      expression: 'cron(0 3 * * ? *)',
      timezone: 'Europe/Berlin',
      target: { ...target, input: { kind: 'refresh' } },
    });

    // Assess
    expect(input).toMatchObject({
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Input: '{"kind":"refresh"}',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      },
    });
  });

  test('expressions that Scheduler would refuse are refused here, with the expression named', () => {
    for (const expression of ['every 5 minutes', 'rate(5 minutez)', 'cron(0 3 * * ?)']) {
      expect(() => scheduleInput({ name: 'n', groupName: 'g', expression, target })).toThrow(expression);
    }
    expect(() =>
      scheduleInput({ name: 'n', groupName: 'g', expression: 'rate(1 minute)', target }),
    ).not.toThrow();
  });
});
