import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { TrackerConfig } from '@app/config';
import { AppModule } from './app.module';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { RequireJsonObjectBody, createValidationPipe } from './http/validation';
import { Clock } from '@app/application';

export const API_PREFIX = 'api/v1';

/** Builds the HTTP application; main.ts and the e2e tests share it so they test the same thing. */
export async function createApp(
  config: TrackerConfig,
  overrides: { clock?: Clock } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config, overrides), {
    logger: process.env.NODE_ENV === 'test' ? ['error'] : ['log', 'warn', 'error'],
    bodyParser: true,
  });
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(new RequireJsonObjectBody(), createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
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
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  if (config.jwtSecretSource === 'generated-for-development') {
    new Logger('Auth').warn(
      `AUTH_JWT_SECRET is not set: using a development secret generated in ${config.dataDir}. ` +
        'Mint a token with `npm run cli -- token --role admin`. Set AUTH_JWT_SECRET (and NODE_ENV=production) in production.',
    );
  }
  return app;
}
