import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startedBefore, keysForSuite, sendRaw, RAN, CHECKED } from '../dispatch/harness.js';
import { expressFixture } from '../dispatch/express.fixture.js';
import { espv2Body } from '../helpers/app.js';
import { endpointsAuth } from '../../lib/index.js';

// Red team, request targets the router reads differently from a naive matcher: a fragment, the absolute
// form, percent-escapes in a literal segment, empty segments. Document: GET /items/search open beside
// GET /items/{id} needing A; GET /files/public open beside GET /files/{path=**} needing A.
describe('red team: request targets', () => {
  const keys = keysForSuite();

  for (const major of [4, 5] as const) {
    describe(`Express ${major}`, () => {
      const app = startedBefore(expressFixture(major, 'app.use'), keys);
      const open = startedBefore(expressFixture(major, 'app.use'), keys, { allowAll: true });

      it('a fragment is refused in ESP\'s format before any handler, whatever follows it', async () => {
        for (const target of ['/items/7#x', '/items/search#/../7', '/items/7#?a=1', '/items/search#']) {
          for (const port of [app.port, open.port]) {
            const r = await sendRaw(port, 'GET', target, {});
            assert.equal(r.headers.get(RAN), undefined, target);
            assert.equal(r.status, 400, target);
            assert.equal(r.body, espv2Body(400, 'The request target has a fragment, which is not allowed.'));
          }
        }
      });

      it('the absolute form is checked on its path, the one Express routes on', async () => {
        for (const target of ['http://h.test/items/7', 'HTTP://other.test:80/items/7', 'https://h.test/items/7?x=1']) {
          for (const port of [app.port, open.port]) {
            const r = await sendRaw(port, 'GET', target, {});
            assert.equal(r.status, 401, target);
            assert.equal(r.headers.get(RAN), undefined, target);
          }
        }
        const r = await sendRaw(app.port, 'GET', 'http://h.test/items/7', { Authorization: `Bearer ${keys.tokens.A}` });
        assert.equal(r.headers.get(RAN), 'getItem');
        assert.equal((await sendRaw(app.port, 'GET', 'http://h.test/items/search', {})).headers.get(RAN), 'searchItems');
      });

      it('an escaped letter in a literal segment: Express routes /items/searc%68 to {id}, and so does the check', async () => {
        for (const target of ['/items/searc%68', '/items/%73earch', '/items/SEARC%68']) {
          const r = await sendRaw(app.port, 'GET', target, {});
          assert.equal(r.status, 401, target);
          assert.equal(r.headers.get(RAN), undefined, target);
        }
        const r = await sendRaw(app.port, 'GET', '/items/searc%68', { Authorization: `Bearer ${keys.tokens.A}` });
        assert.equal(r.headers.get(RAN), 'getItem');
        assert.equal(r.headers.get(CHECKED), 'getItem');
      });

      it('an escaped letter where an open literal neighbours a guarded template is held to the guarded one (a decoding router)', async () => {
        // GET /users/me needs A; GET /users/{uid} is open. Express runs getUser for /users/m%65, a router
        // that decodes runs getMe: the check asks for getMe's token either way.
        const r = await sendRaw(app.port, 'GET', '/users/m%65', {});
        assert.equal(r.status, 401);
        const withToken = await sendRaw(app.port, 'GET', '/users/m%65', { Authorization: `Bearer ${keys.tokens.A}` });
        assert.equal(withToken.headers.get(RAN), 'getUser');
      });

      it('empty segments are not merged: /files//public is not the open /files/public, and Express runs {path=**} for it', async () => {
        for (const target of ['/files//public', '//files/public', '/files/public//']) {
          const r = await sendRaw(open.port, 'GET', target, {});
          assert.notEqual(r.headers.get(RAN), 'getFile', target);
        }
        assert.equal((await sendRaw(app.port, 'GET', '/files//public', {})).status, 401);
      });

      it('malformed escapes and odd targets never give a 5xx or a guarded handler', async () => {
        for (const target of ['/items/%zz', '/items/%', '/items/%E0%A4%A', '/items/7%00', '*', '/items/..', '/items/.', '/items/7/..', '/items\\search', '/items;/7']) {
          for (const port of [app.port, open.port]) {
            const r = await sendRaw(port, 'GET', target, {});
            assert.ok(r.status > 0 && r.status < 500, `${target}: ${r.status}`);
            assert.ok(!['getItem', 'getFile'].includes(r.headers.get(RAN) ?? ''), `${target} ran ${r.headers.get(RAN)}`);
          }
        }
      });
    });
  }

  it('Fetch shell: the check reads the URL the handler gets (its path, no fragment)', async () => {
    const auth = endpointsAuth(keys.document());
    try {
      const refused = await auth.checkRequest(new Request('http://h.test/items/searc%68#frag'));
      assert.equal(refused.ok, false);
      const passed = await auth.checkRequest(new Request('http://h.test/items/search'));
      assert.equal(passed.ok, true);
    } finally {
      auth.close();
    }
  });
});
