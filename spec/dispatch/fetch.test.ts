import { describe } from 'node:test';
import { fetchFixture } from './fetch.fixture.js';
import { dispatchProperty } from './harness.js';

// The dispatch-agreement property on the Fetch shell, a Hono router routing the request it hands on.
describe('dispatch agreement: Fetch shell', () => {
  dispatchProperty([fetchFixture()]);
});
