import { after, before, describe } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EdgeVM } from '@edge-runtime/vm';
import { fixture } from '../helpers/fixture.js';
import type { Reply, SendInit } from '../helpers/http.js';
import { bundleForEdge } from './bundle.js';
import { edgeMatrix, type EdgeTarget } from './edge-matrix.js';

// The main entry in Vercel's Edge runtime (what Next.js Edge routes and middleware run on): no Node
// built-ins, no Buffer, no process, its own fetch, Request and Response.
const ENTRY = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));
const HOST = 'edge.test';

describe('the main entry in the Edge runtime (@edge-runtime/vm)', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  let vm: EdgeVM;
  before(async () => {
    f = await fixture();
    vm = new EdgeVM({ initialCode: await bundleForEdge(ENTRY, 'iife', { SPEC: f.doc() }) });
  });
  after(async () => {
    vm.evaluate('edgeEntry.close()');
    await f.server.stop();
  });

  const target: EdgeTarget = {
    host: HOST,
    env: ['REGION'],
    async send(path: string, init: SendInit = {}): Promise<Reply> {
      // The Request is made inside the VM, as the runtime would hand it to a route handler.
      vm.context.__input = { url: `http://${HOST}${path}`, method: init.method ?? 'GET', headers: init.headers ?? {} };
      const answer = (await vm.evaluate(`(async () => {
        const { url, method, headers } = globalThis.__input;
        const res = await edgeEntry.handle(new Request(url, { method, headers }), { REGION: 'test' }, { waitUntil() {} });
        return { status: res.status, headers: [...res.headers], text: await res.text() };
      })()`)) as { status: number; headers: [string, string][]; text: string };
      let json: any;
      try {
        json = JSON.parse(answer.text);
      } catch {
        json = undefined;
      }
      return { status: answer.status, headers: new Headers(answer.headers), text: answer.text, json };
    },
  };
  edgeMatrix(() => f, () => target);
});
