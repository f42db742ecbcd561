import { LambdaEnvError, readLambdaEnv } from './lambda-env';

describe('readLambdaEnv', () => {
  it('reads the named settings by their FUNCTION_ENV variables', () => {
    // Act
    const env = readLambdaEnv(
      { TRIBUTARY_ENVIRONMENT: 'dev', TRIBUTARY_EVENT_STREAM: 'tributary-dev-events', OTHER: 'x' },
      ['environment', 'stream'],
    );
    // Assess
    expect(env).toEqual({ environment: 'dev', stream: 'tributary-dev-events' });
  });

  it('names every missing or empty variable', () => {
    // Act
    const attempt = () =>
      readLambdaEnv({ TRIBUTARY_ENVIRONMENT: ' ' }, ['environment', 'stream', 'profilesTable']);
    // Assess
    expect(attempt).toThrow(LambdaEnvError);
    expect(attempt).toThrow(
      'missing or empty environment variable(s): TRIBUTARY_ENVIRONMENT, TRIBUTARY_EVENT_STREAM, TRIBUTARY_PROFILES_TABLE',
    );
  });
});
