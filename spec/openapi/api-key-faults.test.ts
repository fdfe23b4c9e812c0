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
});
