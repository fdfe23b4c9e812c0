import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { espv2Body } from '../helpers/app.js';
import { fixture } from '../helpers/fixture.js';
import type { Reply, SendInit } from '../helpers/http.js';
import { assertRefusal, bearer } from '../helpers/refusal.js';
import { NOW_S } from '../helpers/tokens.js';
import type { EndpointsAuthOptions } from '../../lib/index.js';
import { GUARDED_HANDLERS, shellDoc, type Echo } from './shell-doc.js';

const NOT_DEFINED = espv2Body(404, 'The current request is not defined by this API.');

export interface ShellApp {
  readonly base: string;
  send(path: string, init?: SendInit): Promise<Reply>;
  close(): Promise<void>;
}

export interface MatrixQuirks {
  /**
   * A path no route matches never reaches the shell, so the framework's own 404 answers it (the shell
   * mounted inside @koa/router). No handler runs either way.
   */
  readonly frameworkNotFound?: boolean;
  /** The framework answers a malformed escape with its own 400 before any hook (Fastify). No handler runs. */
  readonly frameworkBadUrl?: boolean;
}

/** Starts the framework's app, guarded by its shell, serving ROUTES with handlers that answer an Echo. */
export type StartShell = (spec: unknown, options?: EndpointsAuthOptions) => Promise<ShellApp>;

/**
 * The matrix every shell passes in its real framework over HTTP: a valid token reaches the handler
 * with its claims; missing, expired and wrong-audience tokens get ESP's exact bytes; `security: []` is
 * open; a forged user-info header never reaches a handler; the method-override and path-shape attacks
 * never run a guarded handler without a token.
 */
export function shellMatrix(name: string, start: StartShell, quirks: MatrixQuirks = {}): void {
  describe(`${name}: the adapter matrix`, () => {
    let f: Awaited<ReturnType<typeof fixture>>;
    let app: ShellApp;
    before(async () => {
      f = await fixture();
      app = await start(shellDoc(f.jwksUri));
    });
    after(async () => {
      await app.close();
      await f.server.stop();
    });

    /** Refused with ESP's "Jwt is missing" or its 404, or served by a handler the document leaves open. */
    const neverGuarded = (r: Reply, path: string) => {
      if (r.status === 200) {
        const echo = r.json as Echo;
        assert.equal(GUARDED_HANDLERS.has(echo.handler), false, `${path} ran the guarded ${echo.handler} without a token`);
        assert.equal(echo.auth, null);
      } else if ((r.status === 404 && quirks.frameworkNotFound) || (r.status === 400 && quirks.frameworkBadUrl)) {
        assert.notEqual(r.json?.reached, true);
      } else if (r.status === 400) {
        // A target the check will not read (ESP's format, whatever its message).
        assert.match(r.text, /^\{"code":400,"message":"[^"]+"\}\n$/);
      } else {
        // The realm of WWW-Authenticate is the path as each framework hands it on (a fragment kept or not).
        assert.equal(r.text, r.status === 404 ? NOT_DEFINED : espv2Body(401, 'Jwt is missing'), `${path}: ${r.status} ${r.text}`);
        assert.equal(r.headers.get('content-type'), 'application/json');
      }
    };

    it('a valid token reaches the handler with its claims and ESP user info; a forged user info is replaced', async () => {
      const token = await f.token({ email: 'a@example.com' });
      const r = await app.send('/v1/shelves/7', { headers: { ...bearer(token), 'x-endpoint-api-userinfo': 'forged' } });
      assert.equal(r.status, 200, r.text);
      const echo = r.json as Echo;
      assert.equal(echo.handler, 'GET /v1/shelves/:shelf');
      assert.equal(echo.auth?.operationId, 'getShelf');
      assert.equal(echo.auth?.claims.email, 'a@example.com');
      assert.equal(JSON.parse(Buffer.from(echo.userinfo!, 'base64url').toString('utf8')).email, 'a@example.com');
    });

    it("a missing token gets ESP's exact 401", async () => {
      assertRefusal(await app.send('/v1/shelves'), app.base, '/v1/shelves', 401, 'Jwt is missing');
    });

    it("an expired token gets ESP's exact 401", async () => {
      const r = await app.send('/v1/shelves', { headers: bearer(await f.token({ exp: NOW_S - 3600 })) });
      assertRefusal(r, app.base, '/v1/shelves', 401, 'Jwt is expired');
    });

    it("a token for another audience gets ESP's exact 403", async () => {
      const r = await app.send('/v1/shelves', { headers: bearer(await f.token({ aud: 'someone-else' })) });
      assertRefusal(r, app.base, '/v1/shelves', 403, 'Audiences in Jwt are not allowed');
    });

    it('security: [] is open, and a forged user info never reaches its handler', async () => {
      const r = await app.send('/v1/public', { headers: { 'x-endpoint-api-userinfo': 'forged' } });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { reached: true, handler: 'GET /v1/public', auth: null, userinfo: null });
    });

    it(`a path the document does not define gets ${quirks.frameworkNotFound ? "the framework's" : "ESP's"} 404`, async () => {
      const r = await app.send('/nowhere');
      assert.equal(r.status, 404);
      if (!quirks.frameworkNotFound) assert.equal(r.text, NOT_DEFINED);
    });

    it('POST with X-HTTP-Method-Override: GET never runs the guarded POST handler', async () => {
      neverGuarded(await app.send('/notes', { method: 'POST', headers: { 'x-http-method-override': 'GET' } }), '/notes');
    });

    const shapes: [string, string][] = [
      ['another letter case of a guarded literal', '/users/ME'],
      ['another letter case of the whole path', '/USERS/me'],
      ['percent-encoded letters in a guarded literal', '/items/searc%68'],
      ['percent-encoded letters in an open literal beside a guarded template', '/docs/readm%65'],
      ['a #fragment after a guarded literal', '/items/search#x'],
      ['a trailing slash after a guarded literal', '/items/search/'],
      ['a doubled slash before a guarded literal', '/items//search'],
      ['a doubled slash before an open literal beside a guarded wildcard', '/files//public'],
      ['a stray "%" before escaped hex digits (decoding once more would make a new escape)', '/docs/%%372eadme'],
    ];
    for (const [what, path] of shapes) {
      it(`${what} (${path}) never runs a guarded handler without a token`, async () => {
        neverGuarded(await app.send(path), path);
      });
    }

    it('HEAD of a guarded GET is held to the GET operation', async () => {
      const r = await app.send('/v1/shelves', { method: 'HEAD' });
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('www-authenticate'), `Bearer realm="http://${new URL(app.base).host}/v1/shelves"`);
      const good = await app.send('/v1/shelves', { method: 'HEAD', headers: bearer(await f.token()) });
      assert.equal(good.status, 200);
    });
  });
}
