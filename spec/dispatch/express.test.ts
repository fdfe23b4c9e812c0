import { describe } from 'node:test';
import { expressFixture } from './express.fixture.js';
import { dispatchProperty } from './harness.js';

// The dispatch-agreement property on both Express majors, every documented way of setting it up.
describe('dispatch agreement: Express', () => {
  dispatchProperty(
    ([4, 5] as const).flatMap((major) =>
      (['app.use', 'mounted', 'Router', 'auth.operation', 'strict, case sensitive'] as const).map((setup) => expressFixture(major, setup)),
    ),
  );
  // Routes registered templates first: Express runs the first route that matches, ESP the most specific.
  dispatchProperty(
    ([4, 5] as const).flatMap((major) => (['app.use', 'mounted', 'Router'] as const).map((setup) => expressFixture(major, setup, 'template first'))),
  );
});
