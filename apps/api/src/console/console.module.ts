import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { Response } from 'express';

/** The repository root: the nearest folder up with a package.json (source and dist alike). */
function repositoryRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const CONSOLE_DIR = join(repositoryRoot(__dirname), 'dist', 'console');

/** Paths the console routes itself (index.html): everything but the API's and the metrics. */
export const CONSOLE_ROUTES = /^\/(?!api(?:\/|$)|metrics(?:\/|$))/;

/**
 * Serves the web console (apps/console, built by `npm run build` into dist/console) at `/`;
 * every path the console routes itself falls back to its index.html, `/api` stays the API's.
 */
@Module({})
export class ConsoleModule {
  static register(dir = process.env.CONSOLE_DIR || CONSOLE_DIR): DynamicModule {
    if (!existsSync(join(dir, 'index.html'))) {
      if (process.env.NODE_ENV !== 'test') {
        new Logger('Console').warn(`no console build in ${dir}: run \`npm run build\` to serve it at /`);
      }
      return { module: ConsoleModule };
    }
    return {
      module: ConsoleModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath: dir,
          // Not `exclude`: serve-static's error handler turns any error on an excluded route
          // into a 404, so a malformed JSON body under /api would lose its 400.
          renderPath: CONSOLE_ROUTES,
          serveStaticOptions: {
            // File names under assets/ carry a content hash; index.html must always be fresh.
            setHeaders: (response: Response, path: string) => {
              response.setHeader(
                'Cache-Control',
                path.includes(`${join('assets', '')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
              );
            },
          },
        }),
      ],
    };
  }
}
