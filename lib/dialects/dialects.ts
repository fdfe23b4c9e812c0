import type { Compatibility } from '../kernel/config.js';
import type { Failure } from '../failures/failure.js';
import type { Dialect } from './dialect.js';
import { esp132 } from './esp1/esp-1.32.js';
import { esp } from './esp1/esp.js';
import { espv2 } from './espv2/espv2.js';

/** Code that works with any dialect, whatever its JWT stage fails with. */
export type DialectUser<R> = <F extends Failure>(dialect: Dialect<F>) => R;

/** The ESPs espresso-jwt reproduces, by the `compatibility` option: each hands its dialect to `use`. */
export const DIALECTS: { readonly [C in Compatibility]: <R>(use: DialectUser<R>) => R } = {
  espv2: (use) => use(espv2),
  esp: (use) => use(esp),
  'esp-1.32': (use) => use(esp132),
};
