import { explainCommand, EXPLAIN_USAGE } from './explain-command.js';
import { inspectCommand, INSPECT_USAGE } from './inspect-command.js';
import { lintCommand, LINT_USAGE } from './lint-command.js';
import { routesCommand, ROUTES_USAGE } from './routes-command.js';
import { tokenCommand, TOKEN_USAGE } from './token-command.js';
import { UsageError, type CommandIo } from './usage-error.js';
import { messageOf } from '../kernel/message-of.js';
import { packageVersion } from './version.js';

type Command = { readonly run: (argv: string[], io: CommandIo) => Promise<number>; readonly usage: string };

const COMMANDS: Record<string, Command> = {
  explain: { run: explainCommand, usage: EXPLAIN_USAGE },
  inspect: { run: inspectCommand, usage: INSPECT_USAGE },
  lint: { run: lintCommand, usage: LINT_USAGE },
  routes: { run: routesCommand, usage: ROUTES_USAGE },
  token: { run: tokenCommand, usage: TOKEN_USAGE },
};

const USAGE = `espresso-jwt <command> [options]

Commands:
${Object.values(COMMANDS).map((c) => `  ${c.usage.split('\n')[0]}`).join('\n')}

Run "espresso-jwt <command> --help" for a command's options, "espresso-jwt --version" for the version.`;

/**
 * Runs the CLI; resolves to the exit code: 0 pass, 1 refused or problems found, 2 a usage, file or
 * document error, 3 `explain --offline` found nothing wrong but could not check the signature.
 */
export async function runCli(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`espresso-jwt: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  const twice = repeatedOption(rest);
  if (twice) {
    // parseArgs keeps the last: a second --spec would silently replace the first.
    io.stderr.write(`espresso-jwt ${name}: ${twice} is given more than once\n\n${command.usage}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS');
    io.stderr.write(`espresso-jwt ${name}: ${messageOf(e)}\n`);
    // After a file or document error the command line was right: its usage would bury the reason.
    if (usage) io.stderr.write(`\n${command.usage}\n`);
    return 2;
  }
}

/** The first option named twice (`--spec a --spec=b` included); no option of the CLI takes several values. */
function repeatedOption(argv: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const arg of argv) {
    if (!arg.startsWith('--')) continue;
    const option = arg.split('=')[0]!;
    if (seen.has(option)) return option;
    seen.add(option);
  }
  return undefined;
}
