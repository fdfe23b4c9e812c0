import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIENCE, bookstore, fixture, ISSUER } from '../helpers/fixture.js';
import { espv2Body, startApp } from '../helpers/app.js';
import { endpointsAuth, SpecError } from '../../lib/index.js';
import { readDocument } from '../../lib/openapi/read-document.js';

const ok = { responses: { 200: { description: 'ok' } } };

describe('start-up validation: every problem at once, with its JSON path', () => {
  it('lists undefined schemes, providers without issuer, split provider fields, bad locations, duplicate ids and ambiguous templates', () => {
    const doc = bookstore('https://keys.invalid/jwks');
    Object.assign(doc.securityDefinitions, {
      audiences_only: { type: 'oauth2', flow: 'implicit', authorizationUrl: '', 'x-google-audiences': 'aud-1' },
      bad_locations: {
        type: 'oauth2', flow: 'implicit', authorizationUrl: '', 'x-google-issuer': 'https://b.test',
        'x-google-jwt-locations': [{ query: 'jwt', value_prefix: 'Bearer ' }],
      },
    });
    Object.assign(doc.paths, {
      '/undefined': { get: { operationId: 'undefinedScheme', security: [{ nowhere: [] }], ...ok } },
      '/dup': { get: { operationId: 'getShelf', ...ok } },
      '/a/{x}': { get: { operationId: 'ax', ...ok } },
      '/a/{y}': { get: { operationId: 'ay', ...ok } },
    });
    let error: unknown;
    try {
      endpointsAuth(doc);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof SpecError);
    const byPath = new Map(error.problems.map((p) => [p.path, p.message]));
    assert.match(byPath.get('$.securityDefinitions.audiences_only')!, /has x-google-audiences but no x-google-issuer: .* must all be in the same scheme/);
    assert.match(byPath.get('$.securityDefinitions.bad_locations["x-google-jwt-locations"][0].value_prefix')!, /only allowed with "header"/);
    assert.match(byPath.get('$.paths["/undefined"].get.security[0].nowhere')!, /"nowhere", which is not defined/);
    assert.match(byPath.get('$.paths["/dup"].get.operationId')!, /"getShelf" is also the operationId of \$\.paths\["\/v1\/shelves\/\{shelf\}"\]\.get/);
    assert.match(byPath.get('$.paths["/a/{y}"].get')!, /matches exactly the same requests as GET \/a\/\{x\}/);
    assert.equal(error.problems.filter((p) => p.severity === 'error').length, 5);
    for (const p of error.problems) assert.ok(error.message.includes(`${p.path}: ${p.message}`));
  });

  it('refuses an x-google-auth without issuer (OpenAPI 3)', () => {
    const doc = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      components: { securitySchemes: { gw: { type: 'oauth2', flows: {}, 'x-google-auth': { jwksUri: 'https://k.invalid/jwks', audiences: ['a'] } } } },
      security: [{ gw: [] }],
      paths: { '/x': { get: ok } },
    };
    assert.throws(() => endpointsAuth(doc), (e: unknown) => e instanceof SpecError && e.problems.some((p) => p.path === '$.components.securitySchemes.gw["x-google-auth"].issuer'));
  });

  it('accepts x-google-audiences as a YAML list, with a warning that gcloud would refuse it', async () => {
    const f = await fixture();
    const warnings: string[] = [];
    const app = await startApp(bookstore(f.jwksUri, { 'x-google-audiences': ['other-aud', AUDIENCE] }), { logger: { warn: (m) => warnings.push(m) } });
    try {
      assert.equal((await app.send('/v1/shelves', { headers: { authorization: `Bearer ${await f.token()}` } })).status, 200);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /\$\.securityDefinitions\.issuer\["x-google-audiences"\]: is a list: accepted, but gcloud refuses/);
    } finally {
      await app.close();
      await f.server.stop();
    }
  });
});

describe('OpenAPI 3: schemes, servers, discovery', () => {
  it('openIdConnect with x-google-issuer: openIdConnectUrl is the discovery source', async () => {
    const f = await fixture();
    const discovery = f.server.serve('/custom/discovery', { issuer: ISSUER, jwks_uri: f.jwksUri });
    const doc = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      servers: [{ url: '/api' }],
      components: { securitySchemes: { oidc: { type: 'openIdConnect', openIdConnectUrl: discovery, 'x-google-issuer': ISSUER, 'x-google-audiences': AUDIENCE } } },
      security: [{ oidc: [] }],
      paths: { '/x': { get: { operationId: 'x', ...ok } } },
    };
    const app = await startApp(doc);
    try {
      const r = await app.send('/api/x', { headers: { authorization: `Bearer ${await f.token()}` } });
      assert.equal(r.json.auth.operationId, 'x');
      assert.equal(f.server.count('/custom/discovery'), 1);
    } finally {
      await app.close();
      await f.server.stop();
    }
  });

  it('several servers guard every base path; path-item and operation servers replace the document\'s', async () => {
    const f = await fixture();
    const doc = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      servers: [{ url: 'https://a.test/v1' }, { url: 'https://b.test/beta/' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', 'x-google-issuer': ISSUER, 'x-google-jwks_uri': f.jwksUri, 'x-google-audiences': AUDIENCE } } },
      security: [{ bearer: [] }],
      paths: {
        '/items': { get: { operationId: 'items', ...ok } },
        '/files': { servers: [{ url: 'https://files.test/' }], get: { operationId: 'files', ...ok }, put: { operationId: 'putFile', servers: [{ url: 'https://up.test/upload' }], ...ok } },
      },
    };
    const app = await startApp(doc);
    const token = { authorization: `Bearer ${await f.token()}` };
    try {
      for (const path of ['/v1/items', '/beta/items']) {
        assert.equal((await app.send(path)).text, espv2Body(401, 'Jwt is missing'), path);
        assert.equal((await app.send(path, { headers: token })).json.auth.operationId, 'items', path);
      }
      assert.equal((await app.send('/files', { headers: token })).json.auth.operationId, 'files');
      assert.equal((await app.send('/upload/files', { method: 'PUT', headers: token })).json.auth.operationId, 'putFile');
      assert.equal((await app.send('/v1/files', { headers: token })).status, 404);
    } finally {
      await app.close();
      await f.server.stop();
    }
  });
});

describe('x-google-auth with x-google-jwks_cache_duration_in_s beside it', () => {
  it('is a provider whose keys live for that many seconds (not mistaken for a stray provider field)', () => {
    const doc = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      servers: [{ url: 'https://api.example.com' }],
      components: {
        securitySchemes: {
          auth: { type: 'http', scheme: 'bearer', 'x-google-auth': { issuer: 'https://issuer.example', jwksUri: 'https://issuer.example/jwks', audiences: ['a'] }, 'x-google-jwks_cache_duration_in_s': 30 },
        },
      },
      security: [{ auth: [] }],
      paths: { '/x': { get: { operationId: 'x', responses: { 200: { description: 'ok' } } } } },
    };
    const { model, problems } = readDocument(doc);
    assert.deepEqual(problems.list.filter((p) => p.severity === 'error'), []);
    assert.equal(model.providers.get('auth')?.cacheSeconds, 30);
  });
});
