import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { explain } from '../../lib/explain/explain.js';
import { bookstore, ISSUER } from '../helpers/fixture.js';
import { makeKey } from '../helpers/keys.js';
import { mint, NOW_S } from '../helpers/tokens.js';

// Offline, explain signs the token again with a throwaway key of its algorithm so that the checks after
// the signature run as the middleware runs them: for every algorithm each ESP takes, a token with the
// operation's scope passes every check but the signature, and one without it is refused for its scope,
// with no download (the key URL below answers nothing). ESP v1 takes RS*, ES256 and HS*.
describe('explain offline: the checks after the signature, for every algorithm', () => {
  const doc = () => {
    const d = bookstore('http://127.0.0.1:9/never-downloaded');
    d.paths['/v1/scoped'] = { post: { operationId: 'scoped', security: [{ issuer: ['write'] }], responses: { 200: { description: 'ok' } } } };
    return d;
  };
  const ALGORITHMS = {
    espv2: ['RS256', 'RS512', 'PS256', 'ES256', 'ES384', 'ES512', 'HS256', 'EdDSA'],
    esp: ['RS256', 'RS512', 'ES256', 'HS256', 'HS512'],
  } as const;
  for (const compatibility of ['espv2', 'esp'] as const) {
    for (const alg of ALGORITHMS[compatibility]) {
      it(`${compatibility}, ${alg}`, async () => {
        const key = await makeKey(alg, { kid: 'k1' });
        const claims = { iss: ISSUER, sub: 's', aud: 'shelves-client', exp: NOW_S + 3600 };
        const run = async (scope: string) => explain(doc(), { token: await mint(key, { ...claims, scope }), method: 'POST', path: '/v1/scoped', offline: true, compatibility });
        const writer = await run('read write');
        assert.equal(writer.verdict, 'allow', `${writer.status} ${writer.message}`);
        assert.equal(writer.offline, true);
        const reader = await run('read');
        assert.equal(reader.verdict, 'deny');
        assert.equal(reader.status, 403, reader.message);
        assert.equal(reader.steps.at(-1)?.check, 'scopes');
      });
    }
  }
});
