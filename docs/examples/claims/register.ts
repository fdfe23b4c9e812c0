// Declare your tokens' claims once; every adapter's `auth` is then typed with them.
declare module 'espresso-jwt' {
  interface Register {
    claims: { sub: string; email?: string; roles: readonly string[] };
  }
}

export {};
