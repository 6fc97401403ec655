import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import {
  DynamicModule,
  Inject,
  Logger,
  MiddlewareConsumer,
  Module,
  NestModule,
  Optional,
  RequestMethod,
} from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { NextFunction, Request, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { notFoundProblem } from '../http/problem';

/** The repository root: the nearest folder up with a package.json (source and dist alike). */
function repositoryRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const CONSOLE_DIR = join(repositoryRoot(__dirname), 'dist', 'console');

/** Paths the console routes itself (index.html): everything but the API's and the metrics. */
export const CONSOLE_ROUTES = /^\/(?!api(?:\/|$)|metrics(?:\/|$))/;

/** The console's hashed scripts and stylesheets (bootstrap.ts keeps them out of the API prefix). */
export const CONSOLE_ASSETS = 'assets/*path';

// Without the file system's words (serve-static's message names the path on disk).
const missingAsset = () =>
  notFoundProblem(
    {
      zh: '控制台没有这个文件：页面可能已更新，请刷新页面',
      en: 'The console has no such file: it may have been updated; reload the page',
    },
    'console-asset-not-found',
  );

/** The folder of the console build being served. */
const CONSOLE_BUILD = Symbol('CONSOLE_BUILD');

/** File names under assets/ carry a content hash; index.html must always be fresh. */
function setCacheControl(response: ServerResponse, path: string): void {
  response.setHeader(
    'Cache-Control',
    path.includes(`${join('assets', '')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
}

/**
 * Serves the web console (apps/console, built by `npm run build` into dist/console) at `/`;
 * every path the console routes itself falls back to its index.html, `/api` stays the API's.
 * Scripts and stylesheets go as the build's brotli or gzip copy to a browser that accepts one.
 */
@Module({})
export class ConsoleModule implements NestModule {
  constructor(@Optional() @Inject(CONSOLE_BUILD) private readonly dir?: string) {}

  static register(dir = process.env.CONSOLE_DIR || CONSOLE_DIR): DynamicModule {
    if (!existsSync(join(dir, 'index.html'))) {
      if (process.env.NODE_ENV !== 'test') {
        new Logger('Console').warn(`no console build in ${dir}: run \`npm run build\` to serve it at /`);
      }
      return { module: ConsoleModule };
    }
    return {
      module: ConsoleModule,
      providers: [{ provide: CONSOLE_BUILD, useValue: dir }],
      imports: [
        ServeStaticModule.forRoot({
          rootPath: dir,
          // Not `exclude`: serve-static's error handler turns any error on an excluded route
          // into a 404, so a malformed JSON body under /api would lose its 400.
          renderPath: CONSOLE_ROUTES,
          serveStaticOptions: { setHeaders: setCacheControl },
        }),
      ],
    };
  }

  /** Before serve-static's handler (Nest registers middleware before modules' init hooks). */
  configure(consumer: MiddlewareConsumer): void {
    if (!this.dir) return;
    const serve = expressStaticGzip(this.dir, {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      // A missing asset is a 404, not the console's page (a browser would run it as a script).
      serveStatic: { setHeaders: setCacheControl, fallthrough: false },
    });
    consumer
      .apply((request: Request, response: Response, next: NextFunction) => {
        serve(request, response, (error?: { status?: number }) =>
          next(error?.status === 404 ? missingAsset() : error),
        );
      })
      .forRoutes(
        { path: CONSOLE_ASSETS, method: RequestMethod.GET },
        { path: CONSOLE_ASSETS, method: RequestMethod.HEAD },
      );
  }
}
