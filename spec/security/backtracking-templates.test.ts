import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers/fixture.js';
import { startApp, espv2Body, type TestApp } from '../helpers/app.js';
import { endpointsAuth, lint, SpecError } from '../../lib/index.js';
import { compileMatcher } from '../../lib/match/compile-matcher.js';
import type { MatchProbe } from '../../lib/match/match-pattern.js';
import { readDocument } from '../../lib/openapi/read-document.js';

// Red team, templates that backtrack: `/reports/{year}-{month}-{day}.csv` compiled to a regular
// expression took seconds on one request with a long segment of dashes, and several `**` in one
// template were cubic. Matching is now counted, not timed: the work per request must grow linearly
// with the path, whatever the template.
const REPORTS = '/reports/{year}-{month}-{day}.csv';

function documentWith(paths: Record<string, string>): Record<string, unknown> {
  return {
    swagger: '2.0',
    info: { title: 'Reports', version: '1' },
    host: 'svc.test',
    paths: Object.fromEntries(Object.entries(paths).map(([template, id]) => [template, { get: { operationId: id, security: [], responses: {} } }])),
  };
}

/** The matcher's steps (characters and trie nodes looked at) for one path. */
function stepsFor(template: string, path: string): number {
  const { model, problems } = readDocument(documentWith({ [template]: 'op', '/reports/{name}': 'byName' }));
  const matcher = compileMatcher(model.operations, problems);
  const probe: MatchProbe = { steps: 0 };
  matcher.match('GET', path, { probe });
  return probe.steps;
}

describe('red team: templates that backtrack', () => {
  it('a segment pattern costs at most one step per character of the segment, whatever it holds', () => {
    // Dashes everywhere (the regular expression's worst case), and segments where the pattern's text is
    // found late or never (this matcher's worst case: one scan of the segment).
    const shapes: [string, (n: number) => string][] = [
      ['dashes, no .csv', (n) => `${'-'.repeat(n)}x`],
      ['dashes, then -x.csv', (n) => `${'-'.repeat(n)}-x.csv`],
      ['no dash at all', (n) => `${'a'.repeat(n)}.csv`],
      ['one dash, then no second', (n) => `a-${'b'.repeat(n)}.csv`],
    ];
    for (const [name, segment] of shapes) {
      const small = stepsFor(REPORTS, `/reports/${segment(1_000)}`);
      const large = stepsFor(REPORTS, `/reports/${segment(15_000)}`);
      assert.ok(large <= 15_000 + 100, `${name}: ${large} steps for a 15,000-character segment`);
      assert.ok(large <= 15 * small + 100, `${name}: 15x the segment cost ${large / small}x the steps`);
    }
  });

  it('a long request path costs steps in proportion to its segments', () => {
    const small = stepsFor('/files/{path=**}', `/files${'/a'.repeat(500)}`);
    const large = stepsFor('/files/{path=**}', `/files${'/a'.repeat(5_000)}`);
    assert.ok(large <= 11 * small + 100, `10x the segments cost ${large / small}x the steps`);
  });

  it('a template with two ** is refused at start-up, and lint names it', () => {
    const spec = documentWith({ '/a/**/b/**/c': 'twoRest', '/x/{p=**}/y/{q=**}': 'twoVars' });
    assert.throws(() => endpointsAuth(spec), (e: unknown) => {
      assert.ok(e instanceof SpecError);
      assert.equal(e.problems.filter((p) => /more than one "\*\*"/.test(p.message)).length, 2);
      return true;
    });
    const problems = lint(spec).problems.filter((p) => /more than one "\*\*"/.test(p.message));
    assert.deepEqual(problems.map((p) => [p.severity, p.path]), [['error', '$.paths["/a/**/b/**/c"].get'], ['error', '$.paths["/x/{p=**}/y/{q=**}"].get']]);
  });

  describe('over HTTP', () => {
    let f: Awaited<ReturnType<typeof fixture>>;
    let app: TestApp;
    before(async () => {
      f = await fixture();
      const doc = f.doc();
      doc.paths[REPORTS] = { get: { operationId: 'getReport', responses: {} } };
      doc.paths['/files/{path=**}/raw'] = { get: { operationId: 'getRaw', responses: {} } };
      app = await startApp(doc);
    });
    after(async () => {
      await app.close();
      await f.server.stop();
    });

    it('15,000 dashes in a segment get an answer, the same as a short path gets', async () => {
      for (const tail of ['x', '-x.csv']) {
        const r = await app.send(`/reports/${'-'.repeat(15_000)}${tail}`);
        assert.equal(r.status, tail === 'x' ? 404 : 401);
        assert.equal(r.text, espv2Body(r.status, r.status === 404 ? 'The current request is not defined by this API.' : 'Jwt is missing'));
      }
    });

    it('thousands of segments under a ** with a literal after it get an answer', async () => {
      const r = await app.send(`/files${'/a'.repeat(5_000)}/raw`);
      assert.equal(r.status, 401);
    });
  });
});
