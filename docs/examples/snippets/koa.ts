import Koa from 'koa';
import Router from '@koa/router';
import { endpointsAuth } from 'espresso-jwt/koa';
import { loadOpenApi } from 'espresso-jwt';

const app = new Koa();
const router = new Router();

router.get('/v1/shelves/:shelf', (ctx) => {
  ctx.body = { shelf: ctx.params.shelf, email: ctx.state.auth?.claims.email ?? null };
});

// Ahead of the router: it then routes on what was checked (see "Koa" in docs/adapters.md).
app.use(endpointsAuth(await loadOpenApi('openapi.yaml')));
app.use(router.routes());
app.listen(8080);
