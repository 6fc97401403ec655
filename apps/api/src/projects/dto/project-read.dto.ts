import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { IsIdentifier, IsLocalDate } from '../../http/validators';
import { IsInstant } from '../../http/instant';

export class ProjectIdParam {
  @IsIdentifier()
  projectId!: string;
}

/** Path of the correction and retraction routes; an unknown milestone is a 404 in the handler. */
export class ProjectMilestoneParams extends ProjectIdParam {
  @IsString()
  milestone!: string;
}

/** Path of a listing: the project and the round it is listed in. */
export class ProjectListingParams extends ProjectIdParam {
  @IsIdentifier()
  roundId!: string;
}

/** Bitemporal parameters: effective date D and recorded time K. */
export class ProjectViewQuery {
  @ApiPropertyOptional({
    example: '2023-10-31',
    description: 'as of this effective date (default: everything)',
  })
  @IsOptional()
  @IsLocalDate()
  asOf?: string;

  @ApiPropertyOptional({
    example: '2023-11-05T00:00:00Z',
    description: 'as known at this instant (default: now)',
  })
  @IsOptional()
  @IsInstant()
  knownAt?: string;
}
