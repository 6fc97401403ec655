import { createSecretKey } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { TrackerConfig } from '@app/config';
import { CallerThrottlerGuard, rateLimits } from '../http/rate-limit';
import { BearerVerifier } from './bearer-verifier';
import { JwtAuthGuard } from './jwt-auth.guard';

/**
 * Bearer tokens checked on every route not marked @Public, then the per-caller rate limits
 * (the guards run in this order: the limits count callers by the subject). JwtModule signs
 * the console's session cookies.
 */
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
        ThrottlerModule.forRoot(rateLimits(config)),
      ],
      providers: [
        { provide: BearerVerifier, useValue: new BearerVerifier(config) },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: CallerThrottlerGuard },
      ],
    };
  }
}
