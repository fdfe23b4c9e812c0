import { SpecError, type SpecProblem } from '../errors/spec-error.js';

/** Collects every problem of a document instead of stopping at the first. */
export class Problems {
  readonly list: SpecProblem[] = [];

  error(path: string, message: string): void {
    this.list.push({ path, message, severity: 'error' });
  }

  warning(path: string, message: string): void {
    this.list.push({ path, message, severity: 'warning' });
  }

  note(path: string, message: string): void {
    this.list.push({ path, message, severity: 'note' });
  }

  get hasErrors(): boolean {
    return this.list.some((p) => p.severity === 'error');
  }

  throwIfErrors(): void {
    if (this.hasErrors) throw new SpecError(this.list);
  }
}

/** A JSON path segment: `.name` when it is an identifier, `["..."]` otherwise (path keys, x- names). */
export function jsonPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
