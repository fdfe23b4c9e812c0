import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startedBefore, keysForSuite, sendRaw, RAN, CHECKED } from '../dispatch/harness.js';
import { expressFixture } from '../dispatch/express.fixture.js';

// Red team, `x-google-allow: all` and HEAD: Express serves HEAD with the GET handler, and a request the
// document does not define passes unchecked under allow: all. Neither may open a guarded handler.
// Document: GET /items/{id} needs A; HEAD /docs/{doc} is open beside GET /docs/{doc} needing A.
describe('red team: x-google-allow: all and HEAD', () => {
  const keys = keysForSuite();

  for (const major of [4, 5] as const) {
    describe(`Express ${major}`, () => {
      const configured = startedBefore(expressFixture(major, 'app.use'), keys);
      const open = startedBefore(expressFixture(major, 'app.use'), keys, { allowAll: true, allowCors: true });

      it('HEAD of a guarded GET under allow: all is held to the GET operation', async () => {
        const r = await sendRaw(open.port, 'HEAD', '/items/7', {});
        assert.equal(r.status, 401);
        assert.equal(r.headers.get(RAN), undefined);
        const ok = await sendRaw(open.port, 'HEAD', '/items/7', { Authorization: `Bearer ${keys.tokens.A}` });
        assert.equal(ok.headers.get(RAN), 'getItem');
        assert.equal(ok.headers.get(CHECKED), 'getItem');
      });

      it('HEAD of a GET-only path under allow: configured is ESP\'s 405, and no handler runs', async () => {
        const r = await sendRaw(configured.port, 'HEAD', '/items/7', {});
        assert.equal(r.status, 405);
        assert.equal(r.headers.get(RAN), undefined);
      });

      it('a HEAD operation of its own is checked, and so is the GET beside it (Hono serves every HEAD with GET)', async () => {
        for (const port of [configured.port, open.port]) {
          const refused = await sendRaw(port, 'HEAD', '/docs/readme', {});
          assert.equal(refused.status, 401);
          assert.equal(refused.headers.get(RAN), undefined);
          const r = await sendRaw(port, 'HEAD', '/docs/readme', { Authorization: `Bearer ${keys.tokens.A}` });
          assert.equal(r.headers.get(RAN), 'headDoc');
        }
        assert.equal((await sendRaw(open.port, 'GET', '/docs/readme', {})).status, 401);
      });

      it('requests the document does not define pass under allow: all but reach no guarded handler', async () => {
        const tries: [string, string, Record<string, string>][] = [
          ['PATCH', '/items/7', {}],
          ['DELETE', '/items/7', { 'X-HTTP-Method-Override': 'PATCH' }],
          ['POST', '/items/7', { 'X-HTTP-Method-Override': 'HEAD' }],
          ['GET', '/items/7/more', {}],
          ['OPTIONS', '/items/7', {}],
          ['GET', '/nowhere', {}],
        ];
        for (const [method, target, headers] of tries) {
          const r = await sendRaw(open.port, method, target, headers);
          assert.ok(!['getItem', 'deleteItem', 'getDoc', 'getFile'].includes(r.headers.get(RAN) ?? ''), `${method} ${target} ran ${r.headers.get(RAN)}`);
          assert.ok(r.status < 500, `${method} ${target}: ${r.status}`);
        }
      });
    });
  }
});
