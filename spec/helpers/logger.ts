import type { Logger } from '../../lib/index.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface RecordingLogger extends Required<Logger> {
  readonly lines: readonly { readonly level: Level; readonly message: string }[];
  /** Lines of a level (all levels when omitted) whose message matches. */
  matching(pattern: RegExp, level?: Level): string[];
  /** Resolves with the next line logged from now on whose message matches: the event a test awaits. */
  next(pattern: RegExp, level?: Level): Promise<string>;
}

/** A `logger` option that keeps every line, so tests can read the reasons and await key events. */
export function recordingLogger(): RecordingLogger {
  const lines: { level: Level; message: string }[] = [];
  const waiters: { pattern: RegExp; level: Level | undefined; resolve: (m: string) => void }[] = [];
  const fits = (line: { level: Level; message: string }, pattern: RegExp, level: Level | undefined) =>
    (level === undefined || line.level === level) && pattern.test(line.message);
  const log = (level: Level) => (message: string) => {
    const line = { level, message };
    lines.push(line);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (fits(line, w.pattern, w.level)) {
        waiters.splice(i, 1);
        w.resolve(message);
      }
    }
  };
  return {
    lines,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    matching: (pattern, level) => lines.filter((l) => fits(l, pattern, level)).map((l) => l.message),
    next(pattern, level) {
      return new Promise((resolve) => waiters.push({ pattern, level, resolve }));
    },
  };
}
