// The web console under /console: the files of its build (a directory named by configuration; the
// gateway knows nothing of how they were made) and /console/config.json, which tells the page where
// its users sign in: this gateway's own realm and the console's public client there. Every other path
// under /console is the page itself (its own router reads the path). The content security policy lets
// the page talk to this gateway and its realm alone.
import express, { Router } from 'express';
import * as path from 'node:path';

export interface ConsoleSettings {
  /** The console's build output (index.html and assets/). */
  readonly dir: string;
  /** The realm's issuer URL (the gateway's own realm). */
  readonly issuer: string;
  /** The console's public client in that realm. */
  readonly clientId: string;
  /** The org this gateway acts for. */
  readonly organization: string;
}

export const CONSOLE_PATH = '/console';

function contentSecurityPolicy(issuer: string): string {
  const realm = new URL(issuer).origin;
  return [
    "default-src 'self'",
    `connect-src 'self' ${realm}`,
    `form-action 'self' ${realm}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function consoleRoutes(settings: ConsoleSettings): Router {
  const router = Router({ caseSensitive: true, strict: true });
  const policy = contentSecurityPolicy(settings.issuer);
  router.use(CONSOLE_PATH, (_request, response, next) => {
    response.set('content-security-policy', policy);
    response.set('x-content-type-options', 'nosniff');
    response.set('referrer-policy', 'no-referrer');
    next();
  });
  router.get(`${CONSOLE_PATH}/config.json`, (_request, response) => {
    response.set('cache-control', 'no-store');
    response.json({
      issuer: settings.issuer,
      clientId: settings.clientId,
      organization: settings.organization,
    });
  });
  router.get(CONSOLE_PATH, (_request, response) => {
    response.redirect(308, `${CONSOLE_PATH}/`);
  });
  router.use(CONSOLE_PATH, express.static(settings.dir, { index: 'index.html', fallthrough: true }));
  const page = path.join(path.resolve(settings.dir), 'index.html');
  router.get(`${CONSOLE_PATH}/{*route}`, (request, response, next) => {
    // Missing assets are 404s; any other path is a route of the page.
    if (request.path.startsWith(`${CONSOLE_PATH}/assets/`)) {
      next();
      return;
    }
    response.set('cache-control', 'no-store');
    response.sendFile(page);
  });
  return router;
}
