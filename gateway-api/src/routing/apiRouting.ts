// One definition of how request paths match, shared by Express and the OpenAPI validator. Express
// routes case-insensitively and ignores a trailing slash by default while a path-prefix test does
// not, so `/V1/escrows` once reached the routes without being validated. Routing is case-sensitive
// and strict everywhere (the validator reads the same app settings), and the validator's ignore
// rule is the exact complement of the mount path.
import { Router, type Express } from 'express';

/** The one mount path of the versioned API. */
export const API_PREFIX = '/v1';

export const ROUTER_OPTIONS = { caseSensitive: true, strict: true } as const;

/**
 * Whether the validator must look at `path`: exactly the paths Express may send to a /v1 route. The
 * validator's matcher honours the app's case-sensitivity but not strict routing, so a trailing slash
 * (which no strict route matches) is left out here rather than validated against the slashless route.
 */
export function isApiPath(path: string): boolean {
  return path.startsWith(`${API_PREFIX}/`) && !path.endsWith('/');
}

export function matchPathsExactly(app: Express): void {
  app.enable('case sensitive routing');
  app.enable('strict routing');
}

export function apiRouter(): Router {
  return Router(ROUTER_OPTIONS);
}
