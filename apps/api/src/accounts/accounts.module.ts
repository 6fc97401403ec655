import { createSecretKey } from 'node:crypto';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TrackerConfig } from '@app/config';
import { AccountsController } from './accounts.controller';
import { AccountsStore } from './accounts-store';
import { SessionController } from './session.controller';
import { ACCOUNTS_STORE, SessionService } from './session.service';

/**
 * Console accounts and sessions, kept in DATA_DIR/accounts.sqlite beside (not in) the event log.
 * Global: the AuthModule's guard asks SessionService about session cookies.
 */
@Global()
@Module({})
export class AccountsModule {
  static register(config: TrackerConfig): DynamicModule {
    const jwtKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    return {
      module: AccountsModule,
      imports: [
        JwtModule.register({
          secretOrKeyProvider: () => jwtKey,
          verifyOptions: { algorithms: ['HS256'] },
          signOptions: { algorithm: 'HS256' },
        }),
      ],
      controllers: [SessionController, AccountsController],
      providers: [
        { provide: ACCOUNTS_STORE, useFactory: () => new AccountsStore(config.dataDir) },
        SessionService,
      ],
      exports: [SessionService],
    };
  }
}
