import { METHODS } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { writeProblem } from './problem-details.filter';

/**
 * What a browser may load for the console at `/` and the OpenAPI UI at `/api/docs`: scripts,
 * styles, fonts and API calls from this origin only; inline styles are allowed because antd
 * and Swagger UI set them on elements (no inline script is needed). Nothing may frame the
 * pages (clickjacking). No `upgrade-insecure-requests`: the tracker is often served over plain
 * HTTP behind a province's gateway, which terminates TLS.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    workerSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** Every method a route of the application answers, by Express's own route table. */
interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): unknown;
}

/**
 * Security headers (helmet: CSP, nosniff, frame-ancestors, referrer policy, …), no
 * `X-Powered-By`, `Cache-Control: no-store` on the API's answers (they carry data the caller
 * was authorised for), and 405 with `Allow` for a known path called with a method it lacks.
 */
export function secureHttp(app: INestApplication): void {
  const server = app.getHttpAdapter().getInstance() as {
    disable(setting: string): void;
    router: { stack: RouteLayer[] };
  };
  server.disable('x-powered-by');
  app.use(helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, crossOriginEmbedderPolicy: false }));
  app.use('/api/v1', (_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    // OPTIONS is answered by Express itself, with the same Allow list.
    if (request.method === 'OPTIONS') return next();
    const allowed = allowedMethods(server.router.stack, request.path);
    if (allowed.length === 0 || allowed.includes(request.method)) return next();
    response.setHeader('Allow', allowed.join(', '));
    writeProblem(request, response, {
      status: 405,
      text: {
        zh: `${request.path} 不支持 ${request.method}，可用：${allowed.join('、')}`,
        en: `${request.path} does not support ${request.method}; it allows ${allowed.join(', ')}`,
      },
      code: 'method-not-allowed',
    });
  });
}

/**
 * The methods the routes matching `path` answer (HEAD wherever GET is); none when no route
 * matches. Routes for every method are Nest's middleware (logging, metrics), not endpoints.
 */
function allowedMethods(stack: RouteLayer[], path: string): string[] {
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route || !layer.match(path)) continue;
    const { methods: handled } = layer.route;
    if (handled._all || METHODS.every((method) => handled[method.toLowerCase()])) continue;
    for (const [method, yes] of Object.entries(handled)) if (yes) methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
