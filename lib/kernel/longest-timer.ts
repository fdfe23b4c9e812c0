/**
 * The longest delay setTimeout keeps, 2^31 - 1 ms (about 24.8 days): Node fires a longer timer after
 * 1 ms, with a warning, and browsers at once. Options that become timer delays are bounded by it, and
 * longer waits are made of several timers.
 */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;
