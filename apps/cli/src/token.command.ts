import { Command, InvalidArgumentError } from 'commander';
import { JwtService } from '@nestjs/jwt';
import { decodeJwt } from 'jose';
import { loadConfig } from '@app/config';
import { CliError } from './cli-store';

const ROLES = ['officer', 'auditor', 'admin'];

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * Mints a bearer token signed with the API's secret (AUTH_JWT_SECRET or the development one
 * the API keeps in DATA_DIR); never a fresh secret, which would mint tokens the API rejects.
 */
export function tokenCommand(): Command {
  return new Command('token')
    .description('mint a bearer token for the API')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, (value) => {
      if (!ROLES.includes(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
      return value;
    })
    .option('--sub <subject>', 'who the token is for', 'cli-user')
    .option('--zones <ids>', 'comma-separated zone ids an officer may act for', list, [])
    .option('--cities <ids>', 'comma-separated city ids an officer may act for', list, [])
    .option('--expires-in <duration>', 'lifetime, e.g. 8h or 30d', '8h')
    .action(
      async (options: {
        role: string;
        sub: string;
        zones: string[];
        cities: string[];
        expiresIn: string;
      }) => {
        const config = loadConfig(process.env, { secret: 'existing' });
        const jwt = new JwtService({ secret: config.jwtSecret });
        const token = await jwt
          .signAsync(
            { role: options.role, zones: options.zones, cities: options.cities },
            {
              subject: options.sub,
              algorithm: 'HS256',
              expiresIn: options.expiresIn as `${number}h`,
              // The API refuses tokens without its configured issuer and audience.
              ...(config.jwtIssuer ? { issuer: config.jwtIssuer } : {}),
              ...(config.jwtAudience ? { audience: config.jwtAudience } : {}),
            },
          )
          .catch((error: Error) => {
            throw new CliError(`--expires-in: ${error.message}`);
          });
        const { iat = 0, exp = 0 } = decodeJwt(token);
        if (exp - iat > config.jwtMaxLifetimeSeconds) {
          throw new CliError(
            `--expires-in ${options.expiresIn} exceeds AUTH_JWT_MAX_LIFETIME_SECONDS (${config.jwtMaxLifetimeSeconds} s): the API would refuse the token`,
          );
        }
        process.stdout.write(`${token}\n`);
      },
    );
}
