// The OpenAPI document at /openapi.json and a readable reference page at /docs (Swagger UI served
// from the swagger-ui-dist package, no external assets).
import express, { Router } from 'express';
import { ROUTER_OPTIONS } from '../routing/apiRouting';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getAbsoluteFSPath } from 'swagger-ui-dist';

export const openApiPath = path.resolve(__dirname, '..', '..', 'src', 'openapi', 'openapi.json');

export function loadOpenApi(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(openApiPath, 'utf8')) as Record<string, unknown>;
}

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>p2p-escrow gateway API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="reference"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true });`;

export function apiDocs(): Router {
  const router = Router(ROUTER_OPTIONS);
  const document = loadOpenApi();
  router.get('/openapi.json', (_request, response) => {
    response.json(document);
  });
  router.get('/docs', (_request, response) => {
    response.type('html').send(page);
  });
  router.get('/docs/init.js', (_request, response) => {
    response.type('application/javascript').send(init);
  });
  router.use('/docs/assets', express.static(getAbsoluteFSPath(), { index: false }));
  return router;
}
