import type { OpenAPIV2, OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';

/**
 * An OpenAPI document typed with openapi-types: Swagger 2.0 (as Cloud Endpoints uses it), OpenAPI 3.0
 * or 3.1. The functions that take a document name this type first, so that an editor completes and
 * checks a document written in code; each also takes a parsed document of any type (`loadOpenApi`'s
 * result, `JSON.parse`'s), since the document is checked when it is read. The `x-google-*` extensions
 * are read either way.
 */
export type OpenApiDocument = OpenAPIV2.Document | OpenAPIV3.Document | OpenAPIV3_1.Document;
