import { parseArgs } from 'node:util';
import { SpecError } from '../errors/spec-error.js';
import { listRoutes, type RouteRequirement, type RouteRow } from '../lint/list-routes.js';
import { readSpec } from './read-spec.js';
import { type CommandIo, unenforceable } from './usage-error.js';

export const ROUTES_USAGE = `espresso-jwt routes --spec FILE [--service-name NAME] [--json]

Lists every operation of the document with its method, path template and what a request to it must
carry, as the middleware enforces it: "open", or JWT providers (with the audiences and scopes the
token needs) and API keys; "or" between requirements any one of which is enough. Exit 0, or 2 on a
usage error or a document that cannot be enforced.
  --json   print { routes: [{ operationId, method, path, open, requires: [{ providers: [{ name, issuer, audiences, scopes }], apiKeys }] }] }`;

export async function routesCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { spec: { type: 'string' }, 'service-name': { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
  });
  const doc = await readSpec(values.spec);
  let routes: RouteRow[];
  try {
    routes = listRoutes(doc, values['service-name'] ? { serviceName: values['service-name'] } : {});
  } catch (e) {
    if (e instanceof SpecError) throw unenforceable(e.message, values.spec);
    throw e;
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ routes }, null, 2)}\n`);
    return 0;
  }
  const table = routes.map((r) => [r.method, r.path, r.operationId, requirement(r)] as const);
  const width = (i: number) => Math.max(...table.map((row) => row[i]!.length), 0);
  const widths = [width(0), width(1), width(2)];
  for (const row of table) io.stdout.write(`${row.slice(0, 3).map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}  ${row[3]}\n`);
  return 0;
}

function requirement(r: RouteRow): string {
  const alternatives = r.requires.map(describe).join(' or ');
  if (!r.open) return alternatives;
  return alternatives ? `open (a token sent anyway must be valid: ${alternatives})` : 'open';
}

function describe(req: RouteRequirement): string {
  const parts = [
    ...req.providers.map((p) => `${p.name} (aud ${p.audiences.join(', ') || 'none'}${p.scopes.length ? `; scopes ${p.scopes.join(' ')}` : ''})`),
    ...req.apiKeys.map((k) => `API key ${k}`),
  ];
  return parts.join(' and ');
}
