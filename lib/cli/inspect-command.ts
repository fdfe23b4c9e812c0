import { parseArgs } from 'node:util';
import { COMPATIBILITIES, type Compatibility } from '../kernel/config.js';
import { SpecError } from '../errors/spec-error.js';
import { startInspector, type Inspector } from '../inspect/start-inspector.js';
import { readSpec } from './read-spec.js';
import { InputError, UsageError, type CommandIo, unenforceable } from './usage-error.js';

export const INSPECT_USAGE = `espresso-jwt inspect --spec FILE [--port N] [--compatibility espv2|esp|esp-1.32] [--service-name NAME]

Serves the token inspector on 127.0.0.1 until interrupted: paste a token, pick an operation (or every
operation) and see what the middleware would answer, every check in ESP's order with what the token and
the document hold, and the fix. The answers come from the same engine as "explain". The page loads
nothing from elsewhere; keys are downloaded by this process as the middleware would, unless the page's
"Offline" switch is on (then the signature is not checked).
  --port N            port on 127.0.0.1 (default: any free port)
  --compatibility C   the ESP the page answers as first (default espv2; the page can switch)
  --service-name NAME service name for the default audience (default: the document's host)`;

export async function inspectCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { spec: { type: 'string' }, port: { type: 'string' }, compatibility: { type: 'string' }, 'service-name': { type: 'string' } },
    strict: true,
  });
  const spec = await readSpec(values.spec);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65535) throw new UsageError('--port must be a port number (0 to 65535)');
  const compatibility = values.compatibility as Compatibility | undefined;
  if (compatibility !== undefined && !COMPATIBILITIES.includes(compatibility)) throw new UsageError(`--compatibility must be one of ${COMPATIBILITIES.join(', ')}`);
  let inspector: Inspector;
  try {
    inspector = await startInspector({ spec, port, compatibility, serviceName: values['service-name'] });
  } catch (e) {
    if (e instanceof SpecError) throw unenforceable(e.message, values.spec);
    if ((e as { code?: string })?.code === 'EADDRINUSE') throw new InputError(`port ${port} is in use on 127.0.0.1`);
    throw e;
  }
  io.stdout.write(`Inspector: ${inspector.url}\n`);
  io.stderr.write('Open it in a browser on this machine; Ctrl-C to stop.\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await inspector.close();
  return 0;
}
