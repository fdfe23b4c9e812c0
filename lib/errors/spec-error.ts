/**
 * One problem found in an OpenAPI document, with the JSON path where it is. `error`: the document
 * cannot be enforced; `warning`: it is enforced, but not as the author or gcloud may expect; `note`:
 * something worth knowing (only `lint` reports notes).
 */
export interface SpecProblem {
  path: string;
  message: string;
  severity: 'error' | 'warning' | 'note';
}

/** Thrown by `endpointsAuth()` when the document cannot be enforced; lists every error at once. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  readonly code = 'ERR_ENDPOINTS_SPEC';
  readonly problems: readonly SpecProblem[];

  constructor(problems: readonly SpecProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(
      `The OpenAPI document cannot be enforced (${errors.length} error${errors.length === 1 ? '' : 's'}):\n` +
        errors.map((p) => `  ${p.path}: ${p.message}`).join('\n'),
    );
    this.problems = Object.freeze([...problems]);
  }
}
