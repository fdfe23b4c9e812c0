import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { requestOf } from './nest-request.js';

/**
 * The verified token's payload: `@Claims() claims` the whole of it, `@Claims('email') email` one claim,
 * in a controller or a GraphQL resolver. Undefined on an operation that needs no token and got none.
 */
export const Claims = createParamDecorator((name: string | undefined, context: ExecutionContext): unknown => {
  const claims = requestOf(context)?.auth?.claims;
  return name === undefined ? claims : claims?.[name];
});
