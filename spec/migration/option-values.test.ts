import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpointsAuth } from '../../lib/index.js';
import { bookstore } from '../helpers/fixture.js';

// Options as plain JavaScript passes them: a value of the wrong type or out of range is refused at
// start-up, with the option's name, instead of failing later (a timer Node fires at once, a key
// document refused for its size, a cache that takes the heap, a logger that throws mid-request).
const plain = (options: Record<string, unknown>) => options as never;

describe('option values are checked at start-up', () => {
  const doc = bookstore('https://keys.example/jwks');

  for (const [option, value, message] of [
    ['keyFetchTimeoutMs', 0, /option keyFetchTimeoutMs must be a number from 1 to 2147483647 ms/],
    ['keyFetchTimeoutMs', 2 ** 31, /option keyFetchTimeoutMs must be a number from 1 to 2147483647 ms/],
    ['keyFetchTimeoutMs', 1e12, /option keyFetchTimeoutMs must be a number from 1 to 2147483647 ms/],
    ['keyFetchMaxBytes', 0, /option keyFetchMaxBytes must be at least 1 byte/],
    ['tokenCacheSize', 1.5, /option tokenCacheSize must be a whole number from 0 to 10000000 entries/],
    ['tokenCacheSize', 1e9, /option tokenCacheSize must be a whole number from 0 to 10000000 entries/],
    ['tokenCacheSize', -1, /option tokenCacheSize must be a finite non-negative number/],
    ['jwksCacheSeconds', Infinity, /option jwksCacheSeconds must be a finite non-negative number/],
    ['serviceName', 5, /option serviceName must be a string/],
    ['userInfoPadding', 'yes', /option userInfoPadding must be a boolean/],
    ['keyFetchCrossHostRedirects', 1, /option keyFetchCrossHostRedirects must be a boolean/],
    ['keys', 'x', /option keys must be an object of key material by issuer/],
    ['keys', [], /option keys must be an object of key material by issuer/],
    ['logger', 'console', /option logger must be an object/],
    ['logger', { info: 1 }, /option logger\.info must be a function/],
  ] as const) {
    it(`${option}: ${JSON.stringify(value)} is refused`, () => {
      assert.throws(
        () => endpointsAuth(doc, plain({ [option]: value })),
        (e: unknown) => e instanceof TypeError && message.test(e.message),
      );
    });
  }

  it('the bounds themselves are accepted', () => {
    // A logger may be a function carrying the methods, as fancy-log's is.
    const functionLogger = Object.assign(() => undefined, { info: () => undefined, warn: () => undefined, error: () => undefined });
    for (const options of [{ keyFetchTimeoutMs: 1 }, { keyFetchTimeoutMs: 2 ** 31 - 1 }, { keyFetchMaxBytes: 1 }, { tokenCacheSize: 0 }, { logger: console }, { logger: functionLogger }]) {
      endpointsAuth(doc, options).close();
    }
  });
});
