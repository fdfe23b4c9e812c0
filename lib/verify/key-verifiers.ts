import type { MaybePromise } from '../kernel/maybe-async.js';
import type { KeyEntry } from '../keys/key-entry.js';
import { jwsVerifier, type JwsVerifier } from './jws-verifier.js';

/** Per key, per algorithm: the verifier, or the promise of it while it is being made. */
const made = new WeakMap<KeyEntry, Map<string, MaybePromise<JwsVerifier | undefined>>>();

/**
 * The platform's verifier for a key and an algorithm, made once (jose's import, then a KeyObject or
 * WebCrypto parameters) and kept as long as the key is: a promise the first time, the verifier itself
 * after that, so that a new token costs no import and no extra promise. Undefined when the key cannot
 * serve the algorithm.
 */
export function verifierOf(key: KeyEntry, alg: string): MaybePromise<JwsVerifier | undefined> {
  let byAlg = made.get(key);
  if (!byAlg) made.set(key, (byAlg = new Map()));
  if (byAlg.has(alg)) return byAlg.get(alg);
  // A verifier that cannot be made leaves the key unable to serve the algorithm, as a failed import does.
  const making = key
    .keyFor(alg)
    .then((imported) => (imported ? jwsVerifier(alg, imported) : undefined))
    .catch(() => undefined);
  byAlg.set(alg, making);
  void making.then((verifier) => byAlg.set(alg, verifier));
  return making;
}
