import { LRUCache } from 'lru-cache';
import type { Engine } from '../engine/create-engine.js';
import { parseTemplate, type Segment } from '../match/parse-template.js';
import type { Operation } from '../openapi/model.js';

const NONE: readonly Operation[] = Object.freeze([]);
const NAME = /:([A-Za-z_$][A-Za-z0-9_$]*)/g;
const WILDCARD = /^(?:\*[A-Za-z0-9_$]*|\{\*[A-Za-z0-9_$]*\})$/;
/** Route syntax with no counterpart in a path template: regular expressions, optional parts, escapes. */
const UNMAPPABLE = /[(){}*?+\\]|::/;

/**
 * The document's operations by route shape, to find the operation of the handler a platform chose.
 * A route and a template have the same shape when their literal segments are equal and their
 * variables sit in the same places, whatever they are named: Nest's `/v1/shelves/:shelf` is the
 * document's `/v1/shelves/{shelf}`, `/reports/:y-:m.csv` is `/reports/{year}-{month}.csv`.
 */
export class RouteOperations {
  private readonly byShape = new Map<string, Operation[]>();
  /**
   * Answers by method and pattern: a route's shape is worked out once, not on every request. Bounded,
   * since Express's mount path (`req.baseUrl`) holds the values of a mount path's parameters.
   */
  private readonly byRoute = new LRUCache<string, readonly Operation[]>({ max: 1024 });

  constructor(private readonly engine: Engine) {
    for (const op of engine.model.operations) {
      const key = shapeKey(op.method, parseTemplate(op.template));
      const list = this.byShape.get(key);
      if (list) list.push(op);
      else this.byShape.set(key, [op]);
    }
  }

  /**
   * The operations a route serves (several only when the document keys operations by query). HEAD
   * falls back to GET: Express and Fastify serve HEAD with the GET handler.
   */
  ofRoute(method: string, pattern: string): readonly Operation[] {
    const key = `${method} ${pattern}`;
    let found = this.byRoute.get(key);
    if (!found) this.byRoute.set(key, (found = this.lookUp(method, pattern)));
    return found;
  }

  private lookUp(method: string, pattern: string): readonly Operation[] {
    const template = templateOfRoute(pattern);
    if (template === undefined) return NONE;
    const segments = parseTemplate(template);
    const found = this.byShape.get(shapeKey(method, segments));
    if (found || method !== 'HEAD') return found ?? NONE;
    return this.byShape.get(shapeKey('GET', segments)) ?? NONE;
  }

  /** The operation ESP itself would match on the request's URL, with the same HEAD fallback. */
  ofUrl(method: string, url: string): Operation | undefined {
    return this.engine.findOperation(method, url) ?? (method === 'HEAD' ? this.engine.findOperation('GET', url) : undefined);
  }
}

/**
 * A route pattern of Express (path-to-regexp) or Fastify (find-my-way) as a path template: `:name`
 * becomes `{name}`, a final wildcard (`*`, `*name`, `{*name}`) becomes `**`. Undefined when the pattern
 * uses syntax a template cannot express; such a route matches no operation.
 */
function templateOfRoute(pattern: string): string | undefined {
  const parts = pattern.split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (WILDCARD.test(part)) {
      if (i !== parts.length - 1) return undefined;
      out.push('**');
    } else if (UNMAPPABLE.test(part)) return undefined;
    else out.push(part.replace(NAME, '{$1}'));
  }
  return out.join('/');
}

function shapeKey(method: string, segments: readonly Segment[]): string {
  const shape = segments.map((s) => (s.kind === 'literal' ? ['l', s.value] : s.kind === 'pattern' ? ['p', s.source] : [s.kind]));
  return `${method} ${JSON.stringify(shape)}`;
}
