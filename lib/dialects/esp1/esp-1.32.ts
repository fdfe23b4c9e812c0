import { esp1Dialect } from './esp1-dialect.js';

/**
 * ESP v1 up to v1.32: gRPC's status names as reasons (the troubleshooting guide's BAD_FORMAT,
 * KEY_RETRIEVAL_ERROR...), no token from an `Authorization` without `Bearer `, and `sub` required.
 */
export const esp132 = esp1Dialect('esp-1.32', { bearer: 'no-token', requireSubject: true });
