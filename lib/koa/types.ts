import type { AuthInfo } from '../kernel/auth-info.js';

declare module 'koa' {
  interface DefaultState {
    /** Set by espresso-jwt when the request carried a valid token. */
    auth?: AuthInfo;
  }
}

export {};
