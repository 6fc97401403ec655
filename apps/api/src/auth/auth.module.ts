import { createSecretKey } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TrackerConfig } from '@app/config';
import { BearerVerifier } from './bearer-verifier';
import { JwtAuthGuard } from './jwt-auth.guard';

/** Bearer tokens checked on every route not marked @Public; JwtModule signs the console's session cookies. */
@Module({})
export class AuthModule {
  static register(config: TrackerConfig): DynamicModule {
    const jwtKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    return {
      module: AuthModule,
      imports: [
        // A KeyObject made once: given a string, jsonwebtoken rebuilds (and first tries to parse
        // it as a public key) on every request, a quarter of the API's CPU under load.
        JwtModule.register({
          secretOrKeyProvider: () => jwtKey,
          verifyOptions: { algorithms: ['HS256'] },
          signOptions: { algorithm: 'HS256' },
        }),
      ],
      providers: [
        { provide: BearerVerifier, useValue: new BearerVerifier(config) },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
    };
  }
}
