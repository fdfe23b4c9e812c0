import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasDuplicateKeys } from '../../lib/json/duplicate-keys.js';

// A repeated member name anywhere in a token's header or payload makes the section invalid JSON, as
// protobuf's JSON reader (ESPv2's) refuses it.
describe('hasDuplicateKeys', () => {
  const cases: [string, boolean][] = [
    ['{}', false],
    ['{"a":1,"b":2}', false],
    ['{"a":1,"a":2}', true],
    ['{"a":1,"\\u0061":2}', true],
    ['{"a\\"b":1,"a\\"b":2}', true],
    ['{"a":"a","b":"a"}', false],
    ['{"a":["a","a"],"b":{"a":1}}', false],
    ['{"a":{"x":1,"x":2}}', true],
    ['{"a":[{"x":1},{"x":2}]}', false],
    ['{"a":[{"x":1,"x":2}]}', true],
    ['{"a":{"b":1},"a":2}', true],
    ['{"k":"{\\"a\\":1,\\"a\\":2}"}', false],
    ['{"a":[1,{"b":[]}],"c":{"a":{}},"d":"a"}', false],
    [' { "a" : 1 , "a" : 1 } ', true],
    ['{"a\\\\":1,"a":2}', false],
  ];
  for (const [json, expected] of cases) {
    it(`${json} -> ${expected}`, () => {
      JSON.parse(json); // every case is valid JSON
      assert.equal(hasDuplicateKeys(json), expected);
    });
  }
});
