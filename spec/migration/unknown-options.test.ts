import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpointsAuth } from '../../lib/index.js';
import { bookstore } from '../helpers/fixture.js';

// Options as plain JavaScript passes them: no type check stands between a typo and the middleware.
const plain = (options: Record<string, unknown>) => options as never;

describe('a misspelt option is refused, naming the option meant', () => {
  const doc = bookstore('https://keys.example/jwks');

  for (const [typo, meant] of [
    ['clockSkew', 'clockSkewSeconds'],
    ['jwksCacheSecond', 'jwksCacheSeconds'],
    ['onerror', 'onError'],
    ['tokenCacheSise', 'tokenCacheSize'],
    ['userinfo_padding', 'userInfoPadding'],
  ] as const) {
    it(`${typo} -> ${meant}`, () => {
      assert.throws(
        () => endpointsAuth(doc, plain({ [typo]: 30 })),
        (e: unknown) => e instanceof TypeError && e.message === `espresso-jwt: unknown option ${typo} (did you mean "${meant}"?)`,
      );
    });
  }

  it('a name near nothing is refused without a guess', () => {
    assert.throws(() => endpointsAuth(doc, plain({ banana: true })), { name: 'TypeError', message: 'espresso-jwt: unknown option banana' });
  });

  it('options that are not an object are refused', () => {
    assert.throws(() => endpointsAuth(doc, plain(null as never)), TypeError);
  });

  it('every documented option is accepted', () => {
    const auth = endpointsAuth(doc, {
      compatibility: 'espv2', serviceName: 's', clockSkewSeconds: 30, now: Date.now, fetch, keyFetchTimeoutMs: 100,
      keyFetchMaxBytes: 1000, keyFetchCrossHostRedirects: false, jwksCacheSeconds: 60, unknownKidCooldownSeconds: 1,
      tokenCacheSize: 0, onError: 'next', apiKey: 'presence', scopes: 'ignore', keys: {}, userInfoPadding: true, logger: {},
    });
    auth.close();
  });
});
