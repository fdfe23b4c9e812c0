import { explain, type ExplainReport } from '../explain/explain.js';
import { seeToken, type SeenToken } from '../explain/describe.js';
import { SpecError } from '../errors/spec-error.js';
import { readInspectRequest } from './inspect-request.js';

/** What the page gets back for a token: `explain`'s report, the token decoded, and the clock it was read by. */
interface InspectAnswer {
  readonly report: ExplainReport;
  readonly token: SeenToken;
  /** The inspector's now, in seconds since the epoch (the page shows token times relative to it). */
  readonly now: number;
}

/** An HTTP status and the JSON body that goes with it. */
interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Answers the page's question (the JSON text it posted) with `explain`: the verdict and the steps are
 * the engine's, for the operation, compatibility and offline switch the page chose. A question that
 * does not read is a 400 that says why.
 */
export async function answerQuestion(
  body: string,
  context: { readonly spec: unknown; readonly operations: ReadonlySet<string>; readonly serviceName: string | undefined; readonly now: () => number },
): Promise<Reply> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { status: 400, body: { error: 'the request body is not JSON' } };
  }
  const read = readInspectRequest(parsed, context.operations);
  if (!read.ok) return { status: 400, body: { error: read.failure } };
  const q = read.value;
  try {
    const report = await explain(context.spec, {
      token: q.token,
      ...(q.request ?? {}),
      compatibility: q.compatibility,
      offline: q.offline,
      serviceName: context.serviceName,
      now: context.now,
    });
    const answer: InspectAnswer = { report, token: seeToken(q.token), now: Math.floor(context.now() / 1000) };
    return { status: 200, body: answer };
  } catch (e) {
    // The document, read as another ESP reads it, may not be enforceable there.
    if (e instanceof SpecError) return { status: 422, body: { error: e.message } };
    throw e;
  }
}
