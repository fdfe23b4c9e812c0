import { SetMetadata, type CustomDecorator } from '@nestjs/common';

/** Metadata key of `@Public()`. */
export const PUBLIC_ROUTE = 'espresso-jwt:public';

/**
 * Keeps a route the document does not define out of ESP's 404 (a health check, a metrics endpoint):
 * on a handler or a controller. A route the document defines is always checked, `@Public()` or not,
 * and so is any request whose URL the document defines, whichever handler serves it.
 */
export const Public = (): CustomDecorator<string> => SetMetadata(PUBLIC_ROUTE, true);
