import express from 'express';
import { expressjwt } from 'express-jwt';
import type { JwtPayload } from 'jsonwebtoken';
import { endpointsAuth, loadOpenApi } from 'espresso-jwt';

const app = express();
app.use(endpointsAuth(await loadOpenApi('openapi.yaml'))); // sets req.auth

// express-jwt for a second, app-level token: from its own header (Authorization carries ESP's token),
// under its own property.
type WithSession = express.Request & { session?: JwtPayload };
app.use(
  expressjwt({
    secret: process.env.SESSION_SECRET!,
    algorithms: ['HS256'],
    getToken: (req) => req.get('x-session-token'),
    requestProperty: 'session',
    credentialsRequired: false,
  }),
);

app.get('/v1/shelves/:shelf', (req, res) => {
  res.json({ endpointsUser: req.auth?.claims.sub, sessionUser: (req as WithSession).session?.sub });
});
