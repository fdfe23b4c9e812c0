import type { AuthInfo } from '../core/auth-info.js';

declare module 'koa' {
  interface DefaultState {
    /** Set by espresso-jwt when the request carried a valid token. */
    auth?: AuthInfo;
  }
}

export {};
