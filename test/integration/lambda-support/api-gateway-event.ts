import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** One HTTP request as API Gateway's HTTP API (payload format 2.0) hands it to a Lambda function. */
export function httpApiEvent(request: {
  method: string;
  path: string;
  routeKey?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: string | Buffer;
}): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const binary = Buffer.isBuffer(request.body);
  const query = request.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey: request.routeKey ?? `${request.method} ${request.path}`,
    rawPath: request.path,
    rawQueryString,
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', 'x-forwarded-proto': 'https', ...headers },
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: headers['user-agent'] ?? 'test',
      },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: request.routeKey ?? `${request.method} ${request.path}`,
      stage: '$default',
      time: '04/Dec/2026:20:00:00 +0000',
      timeEpoch: Date.parse('2026-12-04T20:00:00Z'),
    },
    ...(request.body === undefined
      ? {}
      : {
          body: binary ? (request.body as Buffer).toString('base64') : (request.body as string),
          isBase64Encoded: binary,
        }),
    isBase64Encoded: binary,
  } as APIGatewayProxyEventV2;
}

/** A Lambda context as the runtime passes it (only what handlers read is meaningful). */
export function lambdaContext(name = 'test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: `req-${Math.random().toString(36).slice(2)}`,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
