// The OpenAPI validator as the gateway runs it: every request under /v1 checked against the served
// document (unknown query parameters refused, formats checked), responses checked against it too.
import type { RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { isApiPath } from '../routing/apiRouting';
import { loadOpenApi } from './apiDocs';

export function openApiValidation(options: { readonly validateResponses: boolean }): RequestHandler[] {
  return OpenApiValidator.middleware({
    apiSpec: loadOpenApi() as never,
    validateRequests: { allowUnknownQueryParameters: false },
    validateResponses: options.validateResponses,
    validateSecurity: false,
    validateFormats: true,
    ignorePaths: (path: string) => !isApiPath(path),
  });
}
