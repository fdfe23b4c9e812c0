// Invokes the Lambda handler with an API Gateway HTTP API (v2) event, as AWS would.
import { startDevIssuer } from '../shared/dev-issuer.js';
import { makeHandler } from './handler.js';

const issuer = await startDevIssuer();
const handler = makeHandler(issuer.spec);
const event = (headers: Record<string, string>) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: '/v1/shelves',
  rawQueryString: '',
  headers: { host: 'abc123.execute-api.eu-west-1.amazonaws.com', 'x-forwarded-proto': 'https', ...headers },
  requestContext: { stage: '$default', http: { method: 'GET', path: '/v1/shelves', sourceIp: '203.0.113.7' } },
  isBase64Encoded: false,
});
console.log(await handler(event({ authorization: `Bearer ${await issuer.token()}` }), {}));
console.log(await handler(event({}), {}));
issuer.close();
process.exit(0);
