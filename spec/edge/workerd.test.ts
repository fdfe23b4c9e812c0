import { after, before, describe } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { fixture } from '../helpers/fixture.js';
import { send } from '../helpers/http.js';
import { bundleForEdge } from './bundle.js';
import { edgeMatrix, type EdgeTarget } from './edge-matrix.js';

// The main entry in Cloudflare's own runtime, without Node compatibility: a real workerd serving the
// bundled worker on loopback, fetching keys from the test's key server through workerd's network.
const ENTRY = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));
// The binary the workerd package installs (its main module only computes this path).
const WORKERD = createRequire(import.meta.url).resolve('workerd/bin/workerd');

const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # Loopback is "local" to workerd; the key server of the test lives there.
    (name = "net", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  bindings = [(name = "REGION", text = "test")],
  globalOutbound = "net",
);
`;

/** Starts workerd; its control channel (fd 3) reports the port it listens on. */
async function startWorkerd(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(WORKERD, ['serve', path.join(dir, 'config.capnp'), '--control-fd=3'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`workerd exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdio[3] as Readable }).on('line', (line) => {
      const event = JSON.parse(line) as { event: string; socket?: string; port?: number };
      if (event.event === 'listen' && event.socket === 'http') resolve(event.port!);
    });
  });
  return { child, port };
}

describe('the main entry in Cloudflare workerd', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let dir: string;
  let child: ChildProcess;
  let base: string;
  before(async () => {
    f = await fixture();
    dir = await mkdtemp(path.join(tmpdir(), 'espresso-workerd-'));
    await writeFile(path.join(dir, 'worker.js'), await bundleForEdge(ENTRY, 'esm', { SPEC: f.doc() }));
    await writeFile(path.join(dir, 'config.capnp'), config);
    const started = await startWorkerd(dir);
    child = started.child;
    base = `http://127.0.0.1:${started.port}`;
  });
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
    await f.server.stop();
  });

  const target: EdgeTarget = {
    get host() {
      return new URL(base).host;
    },
    env: ['REGION'],
    send: (p, init) => send(base, p, init),
  };
  edgeMatrix(() => f, () => target);
});
