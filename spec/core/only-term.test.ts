import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../lib/engine/create-engine.js';
import { compileRequirements } from '../../lib/requirements/compile-requirements.js';
import { ISSUER, providersDoc } from '../helpers/fixture.js';

// Which operations the check answers from one provider's term, without walking the two readings: only
// those where both readings come down to that term. Every other shape keeps the walk.
describe('requirements that come down to one provider', () => {
  const ok = { 200: { description: 'ok' } };
  const doc = providersDoc(
    [
      { name: 'a', issuer: ISSUER, jwksUri: 'https://keys.test/a' },
      { name: 'b', issuer: 'https://other.test', jwksUri: 'https://keys.test/b' },
    ],
    {
      '/scoped': { get: { operationId: 'scoped', security: [{ a: ['read'] }], responses: ok } },
      '/either': { get: { operationId: 'either', security: [{ a: [] }, { b: [] }], responses: ok } },
      '/both': { get: { operationId: 'both', security: [{ a: [], b: [] }], responses: ok } },
      '/optional': { get: { operationId: 'optional', security: [{}, { a: [] }], responses: ok } },
      '/keyed': { get: { operationId: 'keyed', security: [{ a: [], key: [] }], responses: ok } },
      '/open': { get: { operationId: 'open', security: [], responses: ok } },
    },
  );
  doc.securityDefinitions.key = { type: 'apiKey', name: 'key', in: 'query' };
  const engine = createEngine(doc, { keys: {}, apiKey: 'presence' });
  const onlyTerm = (id: string) => {
    const op = engine.model.operations.find((o) => o.id === id)!;
    return compileRequirements(op, engine.model.serviceName).onlyTerm;
  };

  it('one JWT provider, no scopes, no API key: answered from its term', () => {
    assert.equal(onlyTerm('only_a'), 0);
    assert.equal(onlyTerm('only_b'), 0);
  });

  for (const id of ['scoped', 'either', 'both', 'optional', 'keyed', 'open']) {
    it(`${id}: walked through both readings`, () => assert.equal(onlyTerm(id), undefined));
  }
});
