/** API Gateway events as AWS sends them to a Lambda function (trimmed to the fields that carry meaning). */

interface EventInit {
  method?: string;
  /** The path the client asked for, with the stage prefix when the URL has one. */
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  stage?: string;
}

const context = (stage: string) => ({ accountId: '123456789012', apiId: 'abc123defg', requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', stage, domainName: 'abc123defg.execute-api.us-east-1.amazonaws.com' });

/**
 * REST API (payload 1.0). On the execute-api domain, `path` has no stage (`requestContext.path` has it);
 * headers come both single- and multi-valued.
 */
export function restApiEvent({ method = 'GET', path, query = '', headers = {}, body, stage = 'prod' }: EventInit) {
  const params = new URLSearchParams(query);
  const single = Object.fromEntries(params);
  const multi: Record<string, string[]> = {};
  for (const [k, v] of params) (multi[k] ??= []).push(v);
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers: { Host: 'abc123defg.execute-api.us-east-1.amazonaws.com', 'X-Forwarded-Proto': 'https', ...headers },
    multiValueHeaders: Object.fromEntries(Object.entries({ Host: 'abc123defg.execute-api.us-east-1.amazonaws.com', 'X-Forwarded-Proto': 'https', ...headers }).map(([k, v]) => [k, [v]])),
    queryStringParameters: query ? single : null,
    multiValueQueryStringParameters: query ? multi : null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: { ...context(stage), resourcePath: '/{proxy+}', httpMethod: method, path: `/${stage}${path}`, protocol: 'HTTP/1.1', identity: { sourceIp: '203.0.113.7', userAgent: 'test' } },
    body: body ?? null,
    isBase64Encoded: false,
  };
}

/**
 * HTTP API (payload 2.0). `rawPath` is what the client asked for: it starts with the stage name unless
 * the stage is `$default`. Header names arrive in lower case.
 */
export function httpApiEvent({ method = 'GET', path, query = '', headers = {}, body, stage = '$default' }: EventInit) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: { host: 'abc123defg.execute-api.us-east-1.amazonaws.com', 'x-forwarded-proto': 'https', ...lower },
    requestContext: { ...context(stage), domainPrefix: 'abc123defg', routeKey: '$default', time: '12/Mar/2020:19:03:58 +0000', timeEpoch: 1584039838000, http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' } },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

/** The context argument of a Lambda invocation. */
export const lambdaContext = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', functionName: 'shelves', getRemainingTimeInMillis: () => 30000 };
