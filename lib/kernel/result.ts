/**
 * The outcome of a step that can refuse: `ok` with what it found, or the failure that ends the check.
 * Steps return it rather than throw, so every failure is a named kind the dialects can answer.
 */
export type Result<T extends object, F> = (Readonly<T> & { readonly ok: true }) | { readonly ok: false; readonly failure: F };
