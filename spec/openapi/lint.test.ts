import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bookstore } from '../helpers/fixture.js';
import { lint, type LintResult } from '../../lib/index.js';

const ok = { responses: { 200: { description: 'ok' } } };
const at = (r: LintResult, path: string) => r.problems.filter((p) => p.path === path);

describe('lint', () => {
  const doc = () => {
    const d = bookstore('https://keys.invalid/jwks');
    d.host = '{{.Name}}';
    d.securityDefinitions.api_key = { type: 'apiKey', in: 'query', name: 'key' };
    d.securityDefinitions.other = {
      type: 'oauth2', flow: 'implicit', authorizationUrl: '', 'x-google-issuer': 'https://other.test', 'x-google-audiences': ['a', 'b'],
      'x-google-jwt-locations': [{ cookie: 'session' }, { header: 'Authorization', value_prefix: 'Bearer ' }],
    };
    Object.assign(d.paths, {
      '/jwt-or-key': { get: { operationId: 'jwtOrKey', security: [{ issuer: [] }, { api_key: [] }], ...ok } },
      '/two-jwt': { get: { operationId: 'twoJwt', security: [{ issuer: [], other: [] }], ...ok } },
      '/scoped': { get: { operationId: 'scoped', security: [{ issuer: ['read'] }], ...ok } },
      '/same': { get: { operationId: 'same', security: [{ issuer: [], api_key: [] }], ...ok } },
    });
    return d;
  };

  it('says where the Endpoints and OpenAPI readings differ, and how', () => {
    const r = lint(doc());
    const [mixed] = at(r, '$.paths["/jwt-or-key"].get');
    assert.equal(mixed?.severity, 'warning');
    assert.equal(
      mixed?.message,
      'Endpoints reads its security as a token of "issuer"; OpenAPI reads it as ("issuer") or ("api_key"). espresso-jwt lets a request through only when both accept it',
    );
    assert.equal(at(r, '$.paths["/same"].get').length, 0, 'JWT and API key in one object read the same both ways');
    assert.equal(at(r, '$.paths["/v1/shelves"].get').length, 0);
  });

  it('two JWT schemes in one object: gcloud refuses it, and shared locations make it unsatisfiable', () => {
    const r = lint(doc());
    const [two] = at(r, '$.paths["/two-jwt"].get.security[0]');
    assert.match(two!.message, /requires tokens of "issuer" and "other" in one request; gcloud refuses two JWT schemes .* no request can pass/);
  });

  it('notes scopes, warns of YAML-list audiences, cookie locations and an unfilled host', () => {
    const r = lint(doc());
    const [scoped] = at(r, '$.paths["/scoped"].get.security[0]');
    assert.equal(scoped?.severity, 'note');
    assert.match(scoped!.message, /lists scopes \(issuer: read\): ESP ignores them/);
    assert.match(at(r, '$.securityDefinitions.other["x-google-audiences"]')[0]!.message, /is a list: accepted, but gcloud refuses/);
    assert.ok(at(r, '$.securityDefinitions.other').some((p) => /cookie "session": ESPv2 ignores cookie locations/.test(p.message)));
    assert.match(at(r, '$.host')[0]!.message, /"\{\{\.Name\}\}" looks like an unfilled template/);
    assert.ok(r.problems.some((p) => p.severity === 'note' && /2 operations can require an API key: ESP had Service Control check keys .* Pass the apiKey option/.test(p.message)));
    assert.equal(r.problems.filter((p) => p.severity === 'error').length, 0);
  });

  it('warns of an empty x-google-audiences entry, which ESPv2 keeps as an audience', () => {
    const d = doc();
    d.securityDefinitions.issuer['x-google-audiences'] = 'shelves-client, ,other';
    const [empty] = at(lint(d), '$.securityDefinitions.issuer["x-google-audiences"]');
    assert.equal(empty?.severity, 'warning');
    assert.match(empty!.message, /has an empty entry: ESPv2 keeps it, so a token whose aud is "" .* is accepted/);
    assert.equal(at(lint(doc()), '$.securityDefinitions.issuer["x-google-audiences"]').length, 0);
  });

  it('returns the start-up errors too, never throws', () => {
    const d = doc();
    d.paths['/bad'] = { get: { security: [{ nowhere: [] }], ...ok } };
    const r = lint(d);
    assert.deepEqual(r.problems.filter((p) => p.severity === 'error').map((p) => p.path), ['$.paths["/bad"].get.security[0].nowhere']);
    assert.deepEqual(lint('not a document').problems, [{ path: '$', message: 'the OpenAPI document must be an object', severity: 'error' }]);
  });
});
