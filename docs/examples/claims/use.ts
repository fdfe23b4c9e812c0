// What the Register declaration in register.ts gives each adapter (compiled, never run).
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { endpointsAuth, type AuthInfo } from 'espresso-jwt';
import endpointsAuthPlugin from 'espresso-jwt/fastify';
import { endpointsAuth as honoAuth } from 'espresso-jwt/hono';
import { endpointsAuth as koaAuth } from 'espresso-jwt/koa';
import './register.js';

declare const spec: unknown;

const roles = (r: readonly string[] | undefined): number => r?.length ?? 0;

// Express: req.auth
const app = express();
app.use(endpointsAuth(spec));
app.get('/v1/shelves', (req, res) => {
  res.json({ sub: req.auth?.claims.sub, roles: roles(req.auth?.claims.roles) });
  // @ts-expect-error a claim the Register does not declare
  void req.auth?.claims.nickname;
});

// Fastify: request.auth
const fastify = Fastify();
await fastify.register(endpointsAuthPlugin, { spec });
fastify.get('/v1/shelves', async (request) => ({ roles: roles(request.auth?.claims.roles) }));

// Hono: c.get('auth')
const hono = new Hono();
hono.use(honoAuth(spec));
hono.get('/v1/shelves', (c) => {
  // @ts-expect-error roles is a list, not a string
  const wrong: string | undefined = c.get('auth')?.claims.roles;
  return c.json({ roles: roles(c.get('auth')?.claims.roles), wrong });
});

// Koa: ctx.state.auth
const koa = new Koa();
koa.use(koaAuth(spec));
koa.use((ctx) => {
  ctx.body = { roles: roles(ctx.state.auth?.claims.roles) };
});

// Fetch: the handler's auth; and AuthInfo for your own functions
export const handler = endpointsAuth(spec).fetchHandler(async (_request, info) => Response.json({ roles: roles(info?.claims.roles) }));
export const email = (auth: AuthInfo): string | undefined => auth.claims.email;

// A claims type for one shell only, without a Register: the type parameter.
interface AdminClaims {
  admin: true;
}
const admin = new Hono();
admin.use(honoAuth<AdminClaims>(spec));
export const isAdmin = (auth: AuthInfo<AdminClaims>): boolean => auth.claims.admin;
