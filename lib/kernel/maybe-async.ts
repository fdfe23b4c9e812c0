/** A value now, or later. */
export type MaybePromise<T> = T | Promise<T>;

/** What a step of the pipeline yields: a value, or a promise of one. */
export type Step<T> = Generator<unknown, T, unknown>;

/**
 * Runs a generator written like an async function (`yield` in place of `await`), staying
 * synchronous for as long as nothing yielded is a promise. The verified-token cache makes the usual
 * request synchronous from end to end: no promise is allocated and no microtask queued, which is
 * most of what an `async` pipeline costs per request. A synchronous throw propagates synchronously.
 * Callers yield only what really is a promise (`v instanceof Promise ? yield v : v`), so that the
 * synchronous path allocates no iterator results either.
 */
export function drive<T>(gen: Step<T>): MaybePromise<T> {
  let step = gen.next();
  while (!step.done) {
    if (step.value instanceof Promise) return resume(gen, step.value);
    step = gen.next(step.value);
  }
  return step.value;
}

async function resume<T>(gen: Step<T>, pending: Promise<unknown>): Promise<T> {
  let step: IteratorResult<unknown, T>;
  try {
    step = gen.next(await pending);
  } catch (e) {
    step = gen.throw(e);
  }
  while (!step.done) {
    const value = step.value;
    if (!(value instanceof Promise)) {
      step = gen.next(value);
      continue;
    }
    try {
      step = gen.next(await value);
    } catch (e) {
      step = gen.throw(e);
    }
  }
  return step.value;
}
