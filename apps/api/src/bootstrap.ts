import { Server } from 'node:http';
import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { TrackerConfig } from '@app/config';
import { AppModule } from './app.module';
import { CONSOLE_ASSETS } from './console/console.module';
import { serveKafkaContract } from './http/kafka-contract';
import { withProblemResponses } from './http/openapi-problems';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { secureHttp } from './http/security';
import { RequireJsonObjectBody, createValidationPipe } from './http/validation';

export const API_PREFIX = 'api/v1';

/** Builds the HTTP application; main.ts and the e2e tests share it so they test the same thing. */
export async function createApp(
  config: TrackerConfig,
  overrides: Parameters<typeof AppModule.register>[1] = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config, overrides), {
    bufferLogs: true,
    bodyParser: true,
    // A store refused at start (corrupt, missing) reaches the caller, which says why and exits.
    abortOnError: false,
  });
  // Nest's own lines (start-up, errors) go through pino too: JSON lines at LOG_LEVEL.
  app.useLogger(app.get(PinoNestLogger));
  secureHttp(app);
  // GET /metrics sits at the root, where scrapers look for it (API.md); the console's compressed
  // scripts and stylesheets (a middleware, which the prefix would otherwise move) at /assets.
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics', CONSOLE_ASSETS] });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(new RequireJsonObjectBody(), createValidationPipe());
  // A client that sends its request too slowly is cut off (Node answers 408); a handler too
  // slow to answer gets a 503 from RequestTimeoutInterceptor.
  const server = app.getHttpServer() as Server;
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(config.requestTimeoutMs, 60_000);
  const document = withProblemResponses(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Project lifecycle tracker (三个一批)')
        .setDescription(
          'Event-sourced tracker of development-zone projects: signing, construction, production, statistics entry, ' +
            'attainment; the five rates and the monthly notification. Errors are RFC 9457 problem+json.',
        )
        .setVersion('1')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  serveKafkaContract(app);
  if (config.jwtSecretSource === 'generated-for-development') {
    new Logger('Auth').warn(
      `AUTH_JWT_SECRET is not set: using a development secret generated in ${config.dataDir}. ` +
        'Mint a token with `npm run cli -- token --role admin`. Set AUTH_JWT_SECRET (and NODE_ENV=production) in production.',
    );
  }
  return app;
}
