import { resolveTargets } from './targets';

describe('resolveTargets', () => {
  test('emulators by default: kinesis-local for Kinesis, moto for the rest', () => {
    // Prepare / Act
    const targets = resolveTargets(['kinesis', 'dynamodb', 's3'], {});

    // Assess
    expect(targets).toEqual({
      kinesis: { kind: 'emulator', emulator: 'kinesis-local' },
      dynamodb: { kind: 'emulator', emulator: 'moto' },
      s3: { kind: 'emulator', emulator: 'moto' },
    });
  });

  test('one AWS_ENDPOINT_URL switches every service; a per-service URL wins over it', () => {
    // Prepare
    const env = { AWS_ENDPOINT_URL: 'http://localstack:4566', AWS_ENDPOINT_URL_KINESIS: 'http://k:1' };

    // Act
    const targets = resolveTargets(['kinesis', 'dynamodb'], env);

    // Assess
    expect(targets.kinesis).toEqual({ kind: 'endpoint', url: 'http://k:1' });
    expect(targets.dynamodb).toEqual({ kind: 'endpoint', url: 'http://localstack:4566' });
  });

  test('TRIBUTARY_TEST_AWS=account sends services without an endpoint to the real account', () => {
    // Prepare / Act
    const targets = resolveTargets(['sqs', 's3'], {
      TRIBUTARY_TEST_AWS: 'account',
      AWS_ENDPOINT_URL_S3: 'http://s3:1',
    });

    // Assess
    expect(targets.sqs).toEqual({ kind: 'account' });
    expect(targets.s3).toEqual({ kind: 'endpoint', url: 'http://s3:1' });
  });
});
