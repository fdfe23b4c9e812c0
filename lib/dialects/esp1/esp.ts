import { esp1Dialect } from './esp1-dialect.js';

/**
 * ESP v1 as its last release (v1.60.0) answers: descriptive messages (since v1.33), an
 * `Authorization` without `Bearer ` taken whole as the token and `sub` optional (since v1.37).
 */
export const esp = esp1Dialect('esp', { bearer: 'whole-value', requireSubject: false });
