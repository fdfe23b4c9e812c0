import { serveFetch } from './serve-fetch.mjs';

// The Fetch shell's baseline: the same answer from a Fetch API handler on @hono/node-server, no check.
serveFetch('bare fetch handler', (request) => Response.json({ shelf: new URL(request.url).pathname.split('/')[3] }));
