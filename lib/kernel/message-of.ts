/** The message of anything thrown: an Error's own, else the value as a string (`throw 'x'` happens). */
export function messageOf(thrown: unknown): string {
  return (thrown as Error | null | undefined)?.message ?? String(thrown);
}
