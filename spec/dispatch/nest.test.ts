import { describe } from 'node:test';
import { dispatchProperty } from './harness.js';
import { nestFixture } from './nest.fixture.js';

// The dispatch-agreement property on NestJS's global guard, on both of Nest's platforms.
describe('dispatch agreement: NestJS', () => {
  dispatchProperty([nestFixture('Express'), nestFixture('Fastify')]);
});
