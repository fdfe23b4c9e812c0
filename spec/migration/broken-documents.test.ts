import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { endpointsAuth, lint, SpecError, type SpecProblem } from '../../lib/index.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { bookstore, fixture } from '../helpers/fixture.js';
import { recordingLogger } from '../helpers/logger.js';
import { bearer } from '../helpers/refusal.js';

// Each mistake that breaks a migration from ESP, as a user makes it: lint names it and the fix, and
// start-up says the same (an error refuses the document; a warning or note goes to the logger).
const KEYS = 'https://www.googleapis.com/oauth2/v3/certs';
const problemAt = (problems: readonly SpecProblem[], path: string) => problems.filter((p) => p.path === path);

/** The problems lint finds at `path`, and what start-up does with the same document. */
function bothWays(doc: unknown, path: string) {
  const linted = problemAt(lint(doc).problems, path);
  const logger = recordingLogger();
  let thrown: SpecError | undefined;
  try {
    endpointsAuth(doc, { logger }).close();
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    thrown = e;
  }
  return { linted, logger, thrown };
}

describe('a migrating user\'s broken documents', () => {
  describe('key URLs that could never be fetched: errors, at start-up too', () => {
    const cases: [string, string, RegExp][] = [
      ['not a url', '"not a url" is not a URL: write the absolute https URL', /https:\/\/www\.googleapis\.com\/oauth2\/v3\/certs/],
      ['https//www.googleapis.com/oauth2/v3/certs', '"https//www.googleapis.com/oauth2/v3/certs" is not a URL: did you mean "https://www.googleapis.com/oauth2/v3/certs"?', /did you mean/],
      ['/oauth2/v3/certs', '"/oauth2/v3/certs" is not a URL: it is a path; keys are downloaded from an absolute address', /whole URL/],
      ['ftp://keys.example/jwks', '"ftp://keys.example/jwks" uses the scheme "ftp": keys are downloaded over https (or http); write https://keys.example/jwks', /https:\/\/keys\.example\/jwks/],
      ['www.googleapis.com/oauth2/v3/certs', '"www.googleapis.com/oauth2/v3/certs" is not a URL: did you mean "https://www.googleapis.com/oauth2/v3/certs"?', /did you mean/],
    ];
    for (const [uri, start, fix] of cases) {
      it(uri, () => {
        const { linted, thrown } = bothWays(bookstore(uri), '$.securityDefinitions.issuer["x-google-jwks_uri"]');
        assert.equal(linted.length, 1);
        assert.equal(linted[0]!.severity, 'error');
        assert.ok(linted[0]!.message.startsWith(start), linted[0]!.message);
        assert.match(linted[0]!.message, fix);
        assert.ok(thrown && thrown.message.includes(linted[0]!.message), 'endpointsAuth refuses the document with the same message');
      });
    }

    it('OpenAPI 3: x-google-auth jwksUri and an openIdConnectUrl the keys come from', () => {
      const doc = {
        openapi: '3.0.3', info: { title: 't', version: '1' },
        components: { securitySchemes: {
          a: { type: 'oauth2', flows: {}, 'x-google-auth': { issuer: 'https://a.example', jwksUri: 'https//a.example/jwks', audiences: ['x'] } },
          b: { type: 'openIdConnect', openIdConnectUrl: '/.well-known/openid-configuration', 'x-google-issuer': 'https://b.example', 'x-google-audiences': 'x' },
        } },
        paths: { '/x': { get: { operationId: 'x', security: [{ a: [] }, { b: [] }], responses: { 200: { description: 'ok' } } } } },
      };
      const problems = lint(doc).problems.filter((p) => p.severity === 'error');
      assert.deepEqual(problems.map((p) => p.path), ['$.components.securitySchemes.a["x-google-auth"].jwksUri', '$.components.securitySchemes.b.openIdConnectUrl']);
      assert.throws(() => endpointsAuth(doc), SpecError);
    });

    it('an issuer that is meant as a URL but is not one, with keys from discovery: an error naming the fix', () => {
      const doc = bookstore(KEYS);
      delete doc.securityDefinitions.issuer['x-google-jwks_uri'];
      doc.securityDefinitions.issuer['x-google-issuer'] = 'https//accounts.google.com';
      const { linted, thrown } = bothWays(doc, '$.securityDefinitions.issuer["x-google-issuer"]');
      assert.equal(linted[0]?.severity, 'error');
      assert.match(linted[0]!.message, /did you mean "https:\/\/accounts\.google\.com"\?.*OpenID discovery.*set x-google-jwks_uri/);
      assert.ok(thrown);
    });

    it('the same issuer beside a key URL: a warning (tokens must carry that iss exactly)', () => {
      const doc = bookstore(KEYS);
      doc.securityDefinitions.issuer['x-google-issuer'] = 'https//accounts.google.com';
      const { linted, logger, thrown } = bothWays(doc, '$.securityDefinitions.issuer["x-google-issuer"]');
      assert.equal(thrown, undefined);
      assert.equal(linted[0]?.severity, 'warning');
      assert.equal(logger.matching(/x-google-issuer.*looks like a URL but is not one/, 'warn').length, 1);
    });

    it('service-account, plain-host and host:port issuers are not URLs and need none', () => {
      const doc = bookstore(KEYS);
      doc.securityDefinitions.issuer['x-google-issuer'] = 'sa@project.iam.gserviceaccount.com';
      doc.securityDefinitions.other = { type: 'oauth2', flow: 'implicit', authorizationUrl: '', 'x-google-issuer': 'accounts.google.com', 'x-google-audiences': 'a' };
      doc.securityDefinitions.local = { type: 'oauth2', flow: 'implicit', authorizationUrl: '', 'x-google-issuer': 'localhost:8080', 'x-google-audiences': 'a' };
      assert.deepEqual(lint(doc).problems.filter((p) => p.severity !== 'note'), []);
    });
  });

  describe('unknown and misplaced x-google-* keys: warnings with a did-you-mean and what happens instead', () => {
    it('x-google-jwks-uri: the keys would quietly come from OpenID discovery', () => {
      const doc = bookstore(KEYS);
      delete doc.securityDefinitions.issuer['x-google-jwks_uri'];
      doc.securityDefinitions.issuer['x-google-jwks-uri'] = KEYS;
      const { linted, logger } = bothWays(doc, '$.securityDefinitions.issuer["x-google-jwks-uri"]');
      assert.equal(linted[0]?.severity, 'warning');
      assert.equal(
        linted[0]!.message,
        'is not an extension of Endpoints (did you mean "x-google-jwks_uri"?); neither ESP nor espresso-jwt reads it: without x-google-jwks_uri the keys are found through OpenID discovery at the issuer',
      );
      assert.deepEqual(logger.matching(/x-google-jwks-uri/, 'warn'), [`espresso-jwt: $.securityDefinitions.issuer["x-google-jwks-uri"]: ${linted[0]!.message}`]);
    });

    for (const [where, place, path] of [
      ['the top level', 'the top level of the document', '$["x-google-audiences"]'],
      ['an operation', 'an operation', '$.paths["/v1/shelves"].get["x-google-audiences"]'],
    ] as const) {
      it(`x-google-audiences on ${where}: it does nothing, so every real token would get 403`, () => {
        const doc = bookstore(KEYS);
        delete doc.securityDefinitions.issuer['x-google-audiences'];
        if (path.startsWith('$[')) doc['x-google-audiences'] = 'my-client';
        else doc.paths['/v1/shelves'].get['x-google-audiences'] = 'my-client';
        const { linted, logger } = bothWays(doc, path);
        assert.equal(linted[0]?.severity, 'warning');
        assert.equal(
          linted[0]!.message,
          `is not read on ${place}; it belongs in a security scheme (securityDefinitions in Swagger 2.0, components.securitySchemes in OpenAPI 3), beside x-google-issuer. ` +
            'It is ignored here: without x-google-audiences in the scheme that holds x-google-issuer, the audience is https://<service name> and tokens for your real audience are refused with 403',
        );
        assert.equal(logger.matching(/x-google-audiences.*refused with 403/, 'warn').length, 1);
      });
    }

    it('a misspelt prefix and a misspelt x-google-auth field', () => {
      const doc = bookstore(KEYS);
      doc['x-gogle-allow'] = 'all';
      doc.securityDefinitions.issuer['x-google-audience'] = 'x';
      const problems = lint(doc).problems;
      assert.match(problemAt(problems, '$["x-gogle-allow"]')[0]!.message, /did you mean "x-google-allow"\?/);
      assert.match(problemAt(problems, '$.securityDefinitions.issuer["x-google-audience"]')[0]!.message, /did you mean "x-google-audiences"\?/);
      const oas3 = {
        openapi: '3.1.0', info: { title: 't', version: '1' },
        components: { securitySchemes: { a: { type: 'oauth2', flows: {}, 'x-google-auth': { issuer: 'https://a.example', jwks_uri: KEYS, audiences: ['x'] } } } },
        paths: {},
      };
      assert.match(problemAt(lint(oas3).problems, '$.components.securitySchemes.a["x-google-auth"].jwks_uri')[0]!.message, /is not a field of x-google-auth \(did you mean "jwksUri"\?\)/);
    });

    it('other vendors\' extensions and x-security are no concern', () => {
      const doc = bookstore(KEYS);
      doc['x-amazon-apigateway-policy'] = {};
      doc.paths['/v1/shelves'].get['x-codegen-name'] = 'list';
      assert.deepEqual(lint(doc).problems, []);
    });
  });

  describe('ESP features the package does not carry: notes saying what to use instead', () => {
    it('x-google-backend, quotas, API keys that Service Control checked', () => {
      const doc = bookstore(KEYS);
      doc['x-google-backend'] = { address: 'https://backend.example' };
      doc['x-google-management'] = { metrics: [{ name: 'reads', valueType: 'INT64', metricKind: 'DELTA' }], quota: { limits: [] } };
      doc.paths['/v1/shelves'].get['x-google-quota'] = { metricCosts: { reads: 1 } };
      doc.paths['/v1/shelves'].post['x-google-backend'] = { address: 'https://other.example' };
      doc.securityDefinitions.api_key = { type: 'apiKey', in: 'query', name: 'key' };
      doc.paths['/v1/public'].get.security = [{ api_key: [] }];
      const notes = lint(doc).problems.filter((p) => p.severity === 'note');
      assert.deepEqual(notes.map((n) => n.path), ['$["x-google-backend"]', '$["x-google-management"]', '$.paths["/v1/public"].get']);
      assert.match(notes[0]!.message, /^x-google-backend \(here and in 1 more place\): ESPv2 forwarded requests .*espresso-jwt forwards nothing.*reverse proxy/);
      assert.match(notes[1]!.message, /^quotas \(here and in 1 more place\): Service Control counted .*rate limiter/);
      assert.match(notes[2]!.message, /^1 operation can require an API key: ESP had Service Control check keys .*Pass the apiKey option/);
      const logger = recordingLogger();
      endpointsAuth(doc, { logger, apiKey: 'presence' }).close();
      assert.equal(logger.matching(/^espresso-jwt: note: /, 'info').length, 3);
    });
  });

  it('start-up: one line at info saying what is guarded', () => {
    const logger = recordingLogger();
    endpointsAuth(bookstore(KEYS), { logger }).close();
    assert.deepEqual(logger.matching(/operation/, 'info'), ['espresso-jwt: 4 operations (3 guarded, 1 open), 1 provider (issuer)']);
  });
});

describe('mounted under a prefix (app.use(\'/api\', router) with router.use(auth)): no 404 for everything', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  const apps: TestApp[] = [];
  before(async () => {
    f = await fixture();
  });
  after(async () => {
    for (const app of apps) await app.close();
    await f.server.stop();
  });

  const mounted = async (doc: unknown) => {
    const app = await startApp(doc, {}, (app, auth) => {
      const router = express.Router();
      router.use(auth);
      app.use('/api', router);
    });
    apps.push(app);
    return app;
  };

  // The migrating user's document names its paths below the mount; one with basePath: /api names them whole.
  for (const [what, basePath] of [['paths below the mount point', '/'], ['basePath: /api', '/api']] as const) {
    it(`${what}: the operation is checked, not refused with ESP's 404`, async () => {
      const doc = f.doc();
      doc.basePath = basePath;
      const app = await mounted(doc);
      assert.equal((await app.send('/api/v1/shelves', { headers: bearer(await f.token()) })).status, 200);
      assert.equal((await app.send('/api/v1/shelves')).status, 401);
      assert.equal((await app.send('/api/nothing')).status, 404);
    });
  }
});
