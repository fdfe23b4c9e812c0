import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { SpecError } from '../errors/spec-error.js';
import { explain, type ExplainReport } from '../explain/explain.js';
import { COMPATIBILITIES, type Compatibility } from '../kernel/config.js';
import { readSpec } from './read-spec.js';
import { UsageError, type CommandIo, unenforceable } from './usage-error.js';

export const EXPLAIN_USAGE = `espresso-jwt explain --spec FILE --token JWT|- [--method GET] [--path /v1/x] [--compatibility espv2|esp|esp-1.32] [--service-name NAME] [--offline] [--json]

Says what ESP would answer to a request carrying this token, and why, check by check, with the fix.
Keys are downloaded as the middleware would; --offline skips keys and signature. Without --path,
every operation of the document is tried, and the verdict is that of the operations that need a token
(one that needs none lets any token through). Exit 0 when the request would pass, 1 when it would be
refused, 2 on a usage, file or document error, 3 with --offline when every check that ran passed:
the signature was not checked, so a forged token gets 3 too.
  --token -   read the token from standard input
  --json      print { verdict, status, message, reason, hint, operation, steps: [{ check, ok, detail }] }`;

export async function explainCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      spec: { type: 'string' },
      token: { type: 'string' },
      method: { type: 'string' },
      path: { type: 'string' },
      compatibility: { type: 'string' },
      'service-name': { type: 'string' },
      offline: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  const doc = await readSpec(values.spec);
  if (values.token === undefined) throw new UsageError('--token JWT (or --token - for standard input) is required');
  const token = (values.token === '-' ? await text(io.stdin) : values.token).trim().replace(/^Bearer\s+/, '');
  if (!token) throw new UsageError('the token is empty');
  const compatibility = values.compatibility as Compatibility | undefined;
  if (compatibility !== undefined && !COMPATIBILITIES.includes(compatibility)) throw new UsageError(`--compatibility must be one of ${COMPATIBILITIES.join(', ')}`);
  if (values.method && !values.path) throw new UsageError('--method goes with --path');
  if (values.path !== undefined && !values.path.startsWith('/')) {
    const suggestion = values.path.includes('://') ? 'the path of the URL, without scheme and host' : `/${values.path}`;
    throw new UsageError(`--path is a request path, starting with "/" (did you mean ${suggestion}?)`);
  }
  let report: ExplainReport;
  try {
    report = await explain(doc, {
      token,
      method: values.method,
      path: values.path,
      compatibility,
      offline: values.offline,
      serviceName: values['service-name'],
    });
  } catch (e) {
    if (e instanceof SpecError) throw unenforceable(e.message, values.spec);
    throw e;
  }
  io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : render(report, values.path ? `${(values.method ?? 'GET').toUpperCase()} ${values.path}` : undefined));
  if (report.verdict === 'deny') return 1;
  return report.offline ? 3 : 0;
}

function render(r: ExplainReport, request: string | undefined): string {
  const lines: string[] = [];
  lines.push(request ? `${request} -> ${r.operation ? `operation ${r.operation}` : 'no operation'}` : `operation ${r.operation ?? '(none)'}`);
  for (const s of r.steps) lines.push(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.check.padEnd(9)} ${s.detail}`);
  if (r.offline) lines.push('  (keys and signature not checked: --offline)');
  if (r.verdict === 'deny') lines.push(`Verdict: deny: ${r.status} ${r.message}${r.reason ? ` (${r.reason})` : ''}`);
  else if (r.offline) lines.push('Verdict: signature NOT checked (--offline): every other check passes; the middleware allows this token only if its signature verifies');
  // 'allowed', or 'allowed: the operation needs no token'.
  else lines.push(`Verdict: allow${r.message.replace(/^allowed/, '')}`);
  if (r.hint) lines.push(`Fix: ${r.hint}`);
  if (r.operations && r.operations.length > 1) {
    lines.push('Every operation:');
    for (const o of r.operations) lines.push(`  ${o.verdict.padEnd(5)} ${o.operation}: ${o.status} ${o.message}`);
  }
  return `${lines.join('\n')}\n`;
}
