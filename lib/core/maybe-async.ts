/** A value now, or later. */
export type MaybePromise<T> = T | Promise<T>;

/** What a step of the pipeline yields: a value, or a promise of one. */
export type Step<T> = Generator<unknown, T, unknown>;

/**
 * Waits for a value inside a `drive`n generator: `const r = yield* wait(source())`. A plain value
 * comes back at once, with no promise and no microtask; a promise suspends the generator.
 */
export function* wait<T>(value: MaybePromise<T>): Generator<unknown, T, unknown> {
  return (yield value) as T;
}

/**
 * Runs a generator written like an async function (`yield*` in place of `await`), staying
 * synchronous for as long as nothing yielded is a promise. The verified-token cache makes the usual
 * request synchronous from end to end: no promise is allocated and no microtask queued, which is
 * most of what an `async` pipeline costs per request. A synchronous throw propagates synchronously.
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
