import { entryOf } from '../../failures/catalogue.js';
import type { Esp1Row } from '../../failures/esp1-answer.js';
import type { EngineFailure, Esp1JwtFailure } from '../../failures/failure.js';

/** Every failure ESP v1 can answer with. */
export type Esp1Failure = Esp1JwtFailure | EngineFailure;

/** ESP v1's answers to a failure, both generations, as the catalogue declares them. */
export function esp1Row(f: Esp1Failure): Esp1Row {
  // Every Esp1Failure has an ESP v1 entry: that is how the subset is defined.
  return entryOf(f.kind).esp1!(f);
}
