import { describe } from 'node:test';
import { dispatchProperty } from './harness.js';
import { fastifyFixture, honoFixture, koaFixture } from './shells.fixture.js';

describe('dispatch agreement: Fastify, Hono, Koa', () => {
  dispatchProperty([fastifyFixture, honoFixture, koaFixture('app'), koaFixture('router')], { runs: 300 });
});
