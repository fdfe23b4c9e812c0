// Google Cloud Functions example. Run locally with the real functions framework:
//   npx tsx node_modules/.bin/functions-framework --source=docs/examples/cloud-function/index.ts --target=shelves
// (deployed: build to JS and `gcloud functions deploy shelves --runtime=nodejs20 --trigger-http`).
import * as functions from '@google-cloud/functions-framework';
import { withEndpointsAuth } from 'espresso-jwt';
import { startDevIssuer } from '../shared/dev-issuer.js';

const issuer = await startDevIssuer();

// Built once per instance, outside the handler: keys and verified tokens stay cached while it is warm.
functions.http(
  'shelves',
  withEndpointsAuth(issuer.spec, (req, res) => {
    res.json({ path: req.path, operation: req.auth?.operationId ?? null, email: req.auth?.claims.email ?? null });
  }),
);

console.log(`curl -i http://127.0.0.1:8080/v1/shelves -H "Authorization: Bearer ${await issuer.token()}"`);
