/** The AWS services the integration suites use. */
export const AWS_TEST_SERVICES = [
  'kinesis',
  'dynamodb',
  's3',
  'firehose',
  'glue',
  'scheduler',
  'sqs',
] as const;
export type AwsTestService = (typeof AWS_TEST_SERVICES)[number];

/** Which emulator serves a service when no endpoint is given. */
export const EMULATOR_OF: Readonly<Record<AwsTestService, 'kinesis-local' | 'moto'>> = {
  kinesis: 'kinesis-local',
  dynamodb: 'moto',
  s3: 'moto',
  firehose: 'moto',
  glue: 'moto',
  scheduler: 'moto',
  sqs: 'moto',
};

/** Where one service's requests go. */
export type ServiceTarget =
  /** an emulator the harness starts */
  | { readonly kind: 'emulator'; readonly emulator: 'kinesis-local' | 'moto' }
  /** `AWS_ENDPOINT_URL[_<SERVICE>]`: LocalStack or any other running endpoint */
  | { readonly kind: 'endpoint'; readonly url: string }
  /** `TRIBUTARY_TEST_AWS=account`: the real account of the default credential chain */
  | { readonly kind: 'account' };

/**
 * Decides each service's target from the environment, the same variables the AWS SDK reads:
 * `AWS_ENDPOINT_URL_<SERVICE>` wins over `AWS_ENDPOINT_URL`; `TRIBUTARY_TEST_AWS=account` sends every
 * service without an endpoint to the real account; everything else goes to the emulators.
 */
export function resolveTargets(
  services: readonly AwsTestService[],
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Partial<Record<AwsTestService, ServiceTarget>>> {
  const out: Partial<Record<AwsTestService, ServiceTarget>> = {};
  for (const service of services) {
    const url = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env.AWS_ENDPOINT_URL;
    out[service] = url
      ? { kind: 'endpoint', url }
      : env.TRIBUTARY_TEST_AWS === 'account'
        ? { kind: 'account' }
        : { kind: 'emulator', emulator: EMULATOR_OF[service] };
  }
  return out;
}
