import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { fixture } from '../helpers/fixture.js';
import { startApp, type TestApp } from '../helpers/app.js';

// The middleware decides on the request line and headers only: it never reads or consumes the body,
// so a streamed upload reaches the handler byte for byte after the check.
const CHUNK = 64 * 1024;
const CHUNKS = 64; // 4 MB

/** Streams `data` with chunked transfer encoding, chunk by chunk; resolves with the status and body. */
function upload(base: string, path: string, headers: Record<string, string>, data: Buffer): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    let i = 0;
    const next = () => {
      if (i >= CHUNKS) return req.end();
      const piece = data.subarray(i++ * CHUNK, i * CHUNK);
      if (req.write(piece)) setImmediate(next);
      else req.once('drain', next);
    };
    next();
  });
}

describe('body safety', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let app: TestApp;
  const data = randomBytes(CHUNK * CHUNKS);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  before(async () => {
    f = await fixture();
    app = await startApp(f.doc(), undefined, (a, auth) => {
      a.use(auth);
      a.post('/v1/shelves', (req, res) => {
        // The handler is the first to read: had the middleware consumed anything, bytes would be missing.
        assert.equal(req.readableDidRead, false);
        const hash = createHash('sha256');
        let bytes = 0;
        req.on('data', (c: Buffer) => {
          bytes += c.length;
          hash.update(c);
        });
        req.on('end', () => res.json({ bytes, sha256: hash.digest('hex'), auth: req.auth?.claims.sub ?? null }));
      });
    });
  });
  after(async () => {
    await app.close();
    await f.server.stop();
  });

  it('a chunked 4 MB upload on a guarded route with a valid token reaches the handler byte for byte', async () => {
    const r = await upload(app.base, '/v1/shelves', { authorization: `Bearer ${await f.token()}`, 'content-type': 'application/octet-stream' }, data);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), { bytes: data.length, sha256: sha(data), auth: 'user-1' });
  });

  it('the same upload without a token is refused and the handler never runs', async () => {
    const r = await upload(app.base, '/v1/shelves', { 'content-type': 'application/octet-stream' }, data);
    assert.equal(r.status, 401);
    assert.equal(JSON.parse(r.body).message, 'Jwt is missing');
  });
});
