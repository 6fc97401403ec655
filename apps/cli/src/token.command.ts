import { Command, InvalidArgumentError } from 'commander';
import { JwtService } from '@nestjs/jwt';
import { loadConfig } from '@app/config';

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
        const { jwtSecret } = loadConfig(process.env, { secret: 'existing' });
        const jwt = new JwtService({ secret: jwtSecret });
        const token = await jwt.signAsync(
          { role: options.role, zones: options.zones, cities: options.cities },
          { subject: options.sub, algorithm: 'HS256', expiresIn: options.expiresIn as `${number}h` },
        );
        process.stdout.write(`${token}\n`);
      },
    );
}
