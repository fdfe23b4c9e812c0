/** A wrong command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The command line was right but what it names is not: a file that cannot be read or parsed, a
 * document that cannot be enforced. Exit code 2, the reason only (the usage would bury it).
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A document the middleware would refuse to start with: the reason, and where every problem is listed. */
export function unenforceable(reason: string, specFile: string | undefined): InputError {
  return new InputError(`${reason}\n(espresso-jwt lint --spec ${specFile} lists every problem)`);
}

/** What a command returns: its exit code. Output goes through the streams it is given. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
}
