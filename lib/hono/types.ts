import type { AuthInfo } from '../kernel/auth-info.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by espresso-jwt's middleware: the verified token's facts, null when none was needed. */
    auth: AuthInfo | null;
  }
}

export {};
