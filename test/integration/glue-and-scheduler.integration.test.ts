import { CreateJobCommand } from '@aws-sdk/client-glue';
import { CreateScheduleGroupCommand } from '@aws-sdk/client-scheduler';
import { createGlueJobs } from '../../adapters/aws/glue-jobs';
import { createSchedules } from '../../adapters/aws/scheduler';
import { describeWithAws } from './harness/aws-test-environment';
import { interceptSend } from './harness/fault-injection';

const SERVICES = ['glue', 'scheduler'] as const;

// moto's Glue job runs are stubs (no script runs): these tests check that our requests are accepted
// and answers are read, not what a job does; the request shapes are unit-tested in adapters/aws.
describeWithAws('Glue job runs and EventBridge schedules against moto', SERVICES, (env) => {
  afterAll(async () => {});

  test('a started run is found by its id and followed to an end state', async () => {
    // Prepare
    const names = env().uniqueNames();
    await env().clients.glue.send(
      new CreateJobCommand({
        Name: names.glueCrmImportJob,
        Role: 'arn:aws:iam::123456789012:role/glue',
        Command: { Name: 'glueetl', ScriptLocation: 's3://artifacts/glue-jobs/crm_import.py' },
      }),
    );
    const observed = interceptSend(env().clients.glue, ['StartJobRunCommand', 'GetJobRunCommand'], (c) =>
      c.send(c.command.input),
    );
    const jobs = createGlueJobs({ glue: observed.client, sleep: async () => {} });

    // Act
    const runId = await jobs.start({ jobName: names.glueCrmImportJob, arguments: { 'batch-id': 'b1' } });
    const outcome = await jobs.waitFor(names.glueCrmImportJob, runId, { timeoutMs: 30_000, firstDelayMs: 1 });

    // Assess
    expect(runId).toMatch(/\S/);
    expect(observed.calls.StartJobRunCommand ?? 0).toBe(1);
    expect(outcome.status.runId).toBe(runId);
    expect(outcome).toMatchObject({ ok: true, status: { state: 'SUCCEEDED' } });
    expect(observed.calls.GetJobRunCommand).toBeGreaterThanOrEqual(1);
  });

  test('a run still going at the timeout is answered as a timeout after doubling, capped delays', async () => {
    // Prepare: the real run, reported RUNNING by an interception on every poll.
    const names = env().uniqueNames();
    await env().clients.glue.send(
      new CreateJobCommand({
        Name: names.glueCrmImportJob,
        Role: 'arn:aws:iam::123456789012:role/glue',
        Command: { Name: 'glueetl', ScriptLocation: 's3://artifacts/glue-jobs/crm_import.py' },
      }),
    );
    const running = interceptSend(env().clients.glue, ['GetJobRunCommand'], async (c) => {
      const real = await c.send(c.command.input);
      return { ...real, JobRun: { ...real.JobRun, JobRunState: 'RUNNING' } };
    });
    let clock = 0;
    const delays: number[] = [];
    const jobs = createGlueJobs({
      glue: running.client,
      now: () => clock,
      sleep: async (ms) => {
        delays.push(ms);
        clock += ms;
      },
    });
    const runId = await jobs.start({ jobName: names.glueCrmImportJob, arguments: {} });

    // Act
    const outcome = await jobs.waitFor(names.glueCrmImportJob, runId, {
      timeoutMs: 10_000,
      firstDelayMs: 1_000,
      maxDelayMs: 3_000,
    });

    // Assess
    expect(outcome).toMatchObject({ ok: false, reason: 'timeout', status: { state: 'RUNNING', runId } });
    expect(delays).toEqual([1_000, 2_000, 3_000, 3_000, 1_000]);
  });

  test('starting a job that does not exist is a clear error', async () => {
    const jobs = createGlueJobs({ glue: env().clients.glue });
    await expect(jobs.start({ jobName: 'it-no-such-job', arguments: {} })).rejects.toThrow(
      /StartJobRun it-no-such-job failed/,
    );
  });

  test('upsert creates, then replaces, a schedule; remove deletes it and is idempotent', async () => {
    // Prepare
    const names = env().uniqueNames();
    await env().clients.scheduler.send(new CreateScheduleGroupCommand({ Name: names.scheduleGroup }));
    const schedules = createSchedules({ scheduler: env().clients.scheduler });
    const def = {
      name: 'segment-refresh',
      groupName: names.scheduleGroup,
      expression: 'rate(15 minutes)',
      target: {
        arn: `arn:aws:lambda:us-east-1:123456789012:function:${names.functions['segment-refresh']}`,
        roleArn: 'arn:aws:iam::123456789012:role/scheduler',
        input: { kind: 'refresh' },
      },
    };

    // Act
    const first = await schedules.upsert(def);
    const second = await schedules.upsert({
      ...def,
      expression: 'cron(0 3 * * ? *)',
      target: { ...def.target, input: { kind: 'nightly' } },
    });
    const stored = await schedules.get(names.scheduleGroup, 'segment-refresh');
    await schedules.remove(names.scheduleGroup, 'segment-refresh');
    await schedules.remove(names.scheduleGroup, 'segment-refresh');

    // Assess
    expect([first, second]).toEqual(['created', 'updated']);
    expect(stored).toMatchObject({
      expression: 'cron(0 3 * * ? *)',
      state: 'ENABLED',
      input: { kind: 'nightly' },
    });
    expect(await schedules.get(names.scheduleGroup, 'segment-refresh')).toBeUndefined();
  });
});
