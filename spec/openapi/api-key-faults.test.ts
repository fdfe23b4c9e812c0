import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpointsAuth } from '../../lib/index.js';
import { bookstore } from '../helpers/fixture.js';
import { recordingLogger } from '../helpers/logger.js';

// An `apiKey` check that throws is the app's fault, not the client's: the request is refused (fail
// closed), the logger gets the stack, and the error an app may hand on (onError: 'next') carries the
// message alone, no stack with the server's paths in it.
describe('an apiKey check that throws', () => {
  const doc = () => {
    const d = bookstore('http://127.0.0.1:9/unused');
    d.securityDefinitions.any_key = { type: 'apiKey' };
    Object.assign(d.paths, { '/keyed': { get: { operationId: 'keyed', security: [{ any_key: [] }], responses: { 200: { description: 'ok' } } } } });
    return d;
  };

  it('refuses the request; the stack reaches the logger only', async () => {
    const logger = recordingLogger();
    const auth = endpointsAuth(doc(), {
      logger,
      apiKey: () => {
        throw new Error('key service down');
      },
    });
    try {
      const r = await auth.check({ method: 'GET', url: '/keyed?key=abc', headers: {} });
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.error.failure.kind, 'internal_error');
      assert.equal('detail' in r.error.failure && r.error.failure.detail, 'Error: key service down');
      assert.ok(logger.lines.some((l) => l.level === 'error' && /key service down\n\s+at /.test(l.message)), 'the stack is logged');
    } finally {
      auth.close();
    }
  });

  for (const [what, thrown] of [
    ['an object with no prototype', () => Object.create(null)],
    ['an Error whose message getter throws', () => Object.defineProperty(new Error(), 'message', { get: () => { throw new Error('no'); } })],
  ] as const) {
    it(`throwing ${what}: still refused, never an exception`, async () => {
      const auth = endpointsAuth(doc(), {
        apiKey: () => {
          throw thrown();
        },
      });
      try {
        const r = await auth.check({ method: 'GET', url: '/keyed?key=abc', headers: {} });
        assert.equal(r.ok, false);
        if (!r.ok) assert.deepEqual(r.error.failure, { kind: 'internal_error', detail: 'a thrown value that cannot be printed' });
      } finally {
        auth.close();
      }
    });
  }

  it('with a logger that throws too: still refused, never an exception', async () => {
    const fail = () => {
      throw new Error('logger down');
    };
    const auth = endpointsAuth(doc(), {
      logger: { debug: fail, error: fail },
      apiKey: () => {
        throw new Error('key service down');
      },
    });
    try {
      const r = await auth.check({ method: 'GET', url: '/keyed?key=abc', headers: {} });
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error.failure.kind, 'internal_error');
    } finally {
      auth.close();
    }
  });

  it('only true accepts a key: a check answering a string, a number or an object refuses it', async () => {
    for (const answer of ['false', 'true', 1, {}, [true]]) {
      const auth = endpointsAuth(doc(), { apiKey: () => answer as never });
      try {
        const r = await auth.check({ method: 'GET', url: '/keyed?key=abc', headers: {} });
        assert.equal(r.ok, false, JSON.stringify(answer));
        if (!r.ok) assert.equal(r.error.failure.kind, 'api_key_invalid');
      } finally {
        auth.close();
      }
    }
    const auth = endpointsAuth(doc(), { apiKey: async () => true });
    try {
      assert.equal((await auth.check({ method: 'GET', url: '/keyed?key=abc', headers: {} })).ok, true);
    } finally {
      auth.close();
    }
  });
});
