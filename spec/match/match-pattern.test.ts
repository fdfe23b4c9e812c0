import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { matchPattern } from '../../lib/match/match-pattern.js';

// The one-pass segment matcher answers exactly what the regular expression it replaced answered
// (`^text(.+)text(.+)...text$`), on short inputs where the regular expression is still quick.
const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const small = (chars: string, max: number) => fc.array(fc.constantFrom(...chars), { maxLength: max }).map((cs) => cs.join(''));

describe('matchPattern', () => {
  it('agrees with ^t0(.+)t1(.+)...tn$ on thousands of texts and segments', () => {
    fc.assert(
      fc.property(fc.array(small('-.ab', 3), { minLength: 2, maxLength: 5 }), small('-.abc', 14), (texts, segment) => {
        const expected = new RegExp(`^${texts.map(escape).join('.+')}$`, 's').test(segment);
        assert.equal(matchPattern(texts, segment), expected, `${JSON.stringify(texts)} on ${JSON.stringify(segment)}`);
      }),
      { numRuns: 5_000, seed: 18 },
    );
  });

  it('examples: each variable takes at least one character', () => {
    const report = ['', '-', '-', '.csv'];
    assert.equal(matchPattern(report, '2024-01-02.csv'), true);
    assert.equal(matchPattern(report, 'a-b-c-d.csv'), true);
    assert.equal(matchPattern(report, '--.csv'), false);
    assert.equal(matchPattern(report, 'a--b.csv'), false);
    assert.equal(matchPattern(report, 'a-b-c.csvx'), false);
    assert.equal(matchPattern(['', '.json'], '.json'), false);
    assert.equal(matchPattern(['', ':cancel'], 'op:cancel'), true);
  });
});
