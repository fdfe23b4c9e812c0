import { parseArgs } from 'node:util';
import { plural } from '../kernel/plural.js';
import { lint } from '../lint/lint.js';
import { readSpec } from './read-spec.js';
import type { CommandIo } from './usage-error.js';

export const LINT_USAGE = `espresso-jwt lint --spec FILE [--service-name NAME] [--json]

The start-up validation of the document, every problem at once with its JSON path: errors (the
middleware would refuse the document), warnings (enforced, but not as ESP, gcloud or OpenAPI alone
would) and notes. Exit 1 when there is an error, 0 otherwise, 2 on a usage error.
  --json   print { problems: [{ path, message, severity }] }`;

export async function lintCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { spec: { type: 'string' }, 'service-name': { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
  });
  const doc = await readSpec(values.spec);
  const result = lint(doc, values['service-name'] ? { serviceName: values['service-name'] } : {});
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    for (const p of result.problems) io.stdout.write(`${p.severity.padEnd(7)} ${p.path}: ${p.message}\n`);
    const count = (s: string) => result.problems.filter((p) => p.severity === s).length;
    io.stdout.write(`${plural(errors, 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('note'), 'note')}\n`);
  }
  return errors ? 1 : 0;
}
