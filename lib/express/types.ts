import type { AuthInfo } from '../kernel/auth-info.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by espresso-jwt when the request carried a valid token. */
      auth?: AuthInfo;
    }
  }
}

export {};
