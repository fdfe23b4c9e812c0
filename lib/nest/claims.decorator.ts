import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthInfo } from '../kernel/auth-info.js';

/**
 * The verified token's payload: `@Claims() claims` the whole of it, `@Claims('email') email` one claim.
 * Undefined on an operation that needs no token and got none.
 */
export const Claims = createParamDecorator((name: string | undefined, context: ExecutionContext): unknown => {
  const claims = context.switchToHttp().getRequest<{ auth?: AuthInfo }>().auth?.claims;
  return name === undefined ? claims : claims?.[name];
});
