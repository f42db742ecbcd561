import { randomBytes } from 'node:crypto';
import { type ResourceNames, resourceNames } from '../../../contracts/aws-resources';
import type { ChildService } from './child-service';
import { type AwsClients, buildClient } from './clients';
import { startKinesisLocal } from './kinesis-local';
import { findMotoPython, type MotoServer, startMotoServer } from './moto-server';
import { type CreatedResources, createResources, deleteResources, type ResourceRequest } from './resources';
import { type AwsTestService, resolveTargets, type ServiceTarget } from './targets';

/** The account id moto uses; bucket names include it like the stacks' do. */
export const EMULATOR_ACCOUNT_ID = '123456789012';

/** Emulators (or external endpoints) and clients for one test suite. */
export interface AwsTestEnvironment {
  readonly clients: Pick<AwsClients, AwsTestService> & Partial<AwsClients>;
  readonly targets: Readonly<Partial<Record<AwsTestService, ServiceTarget>>>;
  /** Unique names for a fresh set of resources (a new environment part each call). */
  uniqueNames(): ResourceNames;
  /** Creates resources under fresh unique names; they are deleted by `stop` on external targets. */
  create(request: ResourceRequest): Promise<{ names: ResourceNames; created: CreatedResources }>;
  /** Forgets every emulated resource (moto: `POST /moto-api/reset`); external targets are left alone. */
  reset(): Promise<void>;
  /** Deletes what was created on external targets and kills the emulators by pid. */
  stop(): Promise<void>;
}

/** Whether the suite can run here; when not, why (a missing optional toolchain). */
export function awsTestAvailability(
  services: readonly AwsTestService[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): { ok: true } | { ok: false; reason: string } {
  const targets = resolveTargets(services, env);
  const needsMoto = Object.values(targets).some((t) => t.kind === 'emulator' && t.emulator === 'moto');
  if (needsMoto) {
    const moto = findMotoPython();
    if (!moto.ok) return { ok: false, reason: `moto server: ${moto.reason}` };
  }
  return { ok: true };
}

/**
 * `describe` for a suite that needs AWS services. When an emulator cannot be had (no Python for moto),
 * outside CI the suite shows up as a loud `todo` with the reason; with `CI=true` it fails instead.
 */
export function describeAws(name: string, services: readonly AwsTestService[], body: () => void): void {
  const available = awsTestAvailability(services);
  if (available.ok) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      test('has its emulators', () => {
        throw new Error(`CI=true and an emulator is missing: ${available.reason}`);
      });
    });
    return;
  }
  console.warn(`\n!!! NOT RUN: "${name}" needs ${services.join(', ')}: ${available.reason}\n`);
  describe(name, () => {
    test.todo(`run with moto installed (${available.reason})`);
  });
}

/**
 * {@link describeAws} for a suite that uses the services: starts them once before its tests (kinesis-local
 * and/or moto, see {@link startAwsTestEnvironment}) and stops them after its last `afterAll`. The body
 * reads the environment through `env()` (in hooks and tests; it is not there while tests are collected).
 */
export function describeWithAws(
  name: string,
  services: readonly AwsTestService[],
  body: (env: () => AwsTestEnvironment) => void,
): void {
  describeAws(name, services, () => {
    let started: AwsTestEnvironment | undefined;
    beforeAll(async () => {
      started = await startAwsTestEnvironment(services);
    });
    body(() => {
      if (started === undefined) throw new Error(`"${name}": the AWS test environment is not started`);
      return started;
    });
    afterAll(async () => {
      await started?.stop();
    });
  });
}

/**
 * Starts what the suite needs: kinesis-local and/or moto on free ports, or nothing when
 * `AWS_ENDPOINT_URL[_<SERVICE>]` / `TRIBUTARY_TEST_AWS=account` point elsewhere.
 */
export async function startAwsTestEnvironment(
  services: readonly AwsTestService[],
): Promise<AwsTestEnvironment> {
  const targets = resolveTargets(services, process.env);
  const emulators = new Set(
    Object.values(targets).flatMap((t) => (t.kind === 'emulator' ? [t.emulator] : [])),
  );
  const started: ChildService[] = [];
  let moto: MotoServer | undefined;
  let kinesisLocal: ChildService | undefined;
  try {
    const [m, k] = await Promise.all([
      emulators.has('moto') ? startMotoServer() : undefined,
      emulators.has('kinesis-local') ? startKinesisLocal() : undefined,
    ]);
    moto = m;
    kinesisLocal = k;
    if (m) started.push(m);
    if (k) started.push(k);
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }

  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const clients: Partial<AwsClients> = {};
  for (const service of services) {
    const target = targets[service]!;
    const endpoint =
      target.kind === 'endpoint'
        ? target.url
        : target.kind === 'account'
          ? undefined
          : target.emulator === 'moto'
            ? moto!.endpoint
            : kinesisLocal!.endpoint;
    // biome-ignore lint/suspicious/noExplicitAny: one generic call per service key
    (clients as any)[service] = buildClient(service, {
      endpoint,
      emulated: target.kind === 'emulator',
      region: target.kind === 'emulator' ? 'us-east-1' : region,
    });
  }

  const allEmulated = Object.values(targets).every((t) => t.kind === 'emulator');
  const accountId = allEmulated
    ? EMULATOR_ACCOUNT_ID
    : (process.env.TRIBUTARY_TEST_ACCOUNT_ID ?? EMULATOR_ACCOUNT_ID);
  const createdAll: CreatedResources[] = [];
  const uniqueNames = () =>
    resourceNames({
      prefix: 'it',
      environment: `t${randomBytes(5).toString('hex').slice(0, 9)}`,
      accountId,
    });

  return {
    clients: clients as AwsTestEnvironment['clients'],
    targets,
    uniqueNames,
    async create(request) {
      const names = uniqueNames();
      const created = await createResources(clients, names, request, {
        region: allEmulated ? 'us-east-1' : region,
        // Firehose needs a role it can assume to write the bucket; on a real account, name one.
        firehoseRoleArn:
          process.env.TRIBUTARY_TEST_FIREHOSE_ROLE_ARN ??
          `arn:aws:iam::${accountId}:role/${names.firehose}-firehose`,
      });
      createdAll.push(created);
      return { names, created };
    },
    async reset() {
      if (moto) await moto.reset();
    },
    async stop() {
      const external = Object.values(targets).some((t) => t.kind !== 'emulator');
      try {
        if (external) for (const c of createdAll) await deleteResources(clients, c);
      } finally {
        for (const client of Object.values(clients)) client?.destroy();
        await Promise.all(started.map((s) => s.stop()));
      }
    },
  };
}
