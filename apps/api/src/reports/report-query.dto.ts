import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { BATCHES, Batch, ZONE_CATEGORIES, ZoneCategory } from '@app/domain';
import { IsInstant } from '../http/instant';
import { DecimalInteger, IsIdentifier, IsLocalDate } from '../http/validators';

const SCOPES = ['province', 'city', 'zone'] as const;
const COHORTS = ['programme', 'year'] as const;
const LIGHT_COLOURS = ['red', 'amber', 'green'] as const;
const STAGES = ['signed', 'construction-started', 'production-started', 'attained', 'terminated'] as const;

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;
const toArray = ({ value }: { value: unknown }) =>
  value === undefined || Array.isArray(value) ? value : [value];

/** "As of date D, as known at time K", and the filters officers use. */
export class ViewQuery {
  @ApiPropertyOptional({ example: '2023-10-31', description: 'effective date D (default: today)' })
  @IsOptional()
  @IsLocalDate()
  asOf?: string;

  @ApiPropertyOptional({ example: '2023-11-05T00:00:00Z', description: 'recorded time K (default: now)' })
  @IsOptional()
  @IsInstant()
  knownAt?: string;

  @ApiPropertyOptional({ description: 'only projects of this zone' })
  @IsOptional()
  @IsIdentifier()
  zoneId?: string;

  @ApiPropertyOptional({ description: 'only projects of this city' })
  @IsOptional()
  @IsIdentifier()
  cityId?: string;

  @ApiPropertyOptional({ enum: ZONE_CATEGORIES, description: 'only zones of this category' })
  @IsOptional()
  @IsIn(ZONE_CATEGORIES)
  zoneCategory?: ZoneCategory;

  @ApiPropertyOptional({
    example: 10000,
    description: '亿元以上 = 10000: only projects of at least this many 万元',
  })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(0)
  minTotalInvestmentWan?: number;

  @ApiPropertyOptional({ description: 'only industrial projects (产业项目)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  industrialOnly?: boolean;
}

/**
 * The cohort: the programme's (every round held by D, the default, as the reports count), the
 * year's (`cohort=year`: the rounds of D's year), some rounds (repeat `roundId`) or the rounds
 * held since a date.
 */
export class CohortQuery extends ViewQuery {
  @ApiPropertyOptional({
    enum: COHORTS,
    default: 'programme',
    description:
      'programme: every round held by D ("2022年以来"); year: the rounds held in D\'s year (as NOTIFICATION_SETTINGS.cohort)',
  })
  @IsOptional()
  @IsIn(COHORTS)
  cohort?: (typeof COHORTS)[number];

  @ApiPropertyOptional({ enum: SCOPES, default: 'province' })
  @IsOptional()
  @IsIn(SCOPES)
  scope?: (typeof SCOPES)[number];

  @ApiPropertyOptional({ type: [String], description: 'repeatable; the cohort is these rounds' })
  @IsOptional()
  @Transform(toArray)
  @IsArray()
  @IsIdentifier({ each: true })
  roundId?: string[];

  @ApiPropertyOptional({
    example: '2023-01-01',
    description: 'the cohort is the rounds held on or after this date',
  })
  @IsOptional()
  @IsLocalDate()
  since?: string;
}

export class ProjectListQueryDto extends ViewQuery {
  @ApiPropertyOptional({ enum: STAGES })
  @IsOptional()
  @IsIn(STAGES)
  stage?: (typeof STAGES)[number];

  @ApiPropertyOptional({ enum: BATCHES })
  @IsOptional()
  @IsIn(BATCHES)
  batch?: Batch;

  @ApiPropertyOptional()
  @IsOptional()
  @IsIdentifier()
  roundId?: string;

  @ApiPropertyOptional({
    description: "search: the project's id, name or enterprise contains this text (case-insensitive)",
    example: '新材料',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({
    enum: LIGHT_COLOURS,
    description:
      "the project's worst light (红黄绿灯) as of D is this colour; projects without a light are left out",
  })
  @IsOptional()
  @IsIn(LIGHT_COLOURS)
  light?: (typeof LIGHT_COLOURS)[number];

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(0)
  offset?: number;
}

export class StalledQueryDto extends CohortQuery {
  @ApiPropertyOptional({ description: '签而未落: only projects stuck at least this many days' })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(0)
  minDaysSignedNotStarted?: number;

  @ApiPropertyOptional({ description: '落而未投: only projects stuck at least this many days' })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(0)
  minDaysStartedNotProducing?: number;

  @ApiPropertyOptional({ description: '投而未达: only projects stuck at least this many days' })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(0)
  minDaysProducingNotAttained?: number;

  @ApiPropertyOptional({
    default: 100,
    maximum: 1000,
    description: 'page size: at most this many projects in each of the three lists',
  })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({
    default: 0,
    description: 'skip this many projects of each list (longest stalled first)',
  })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(0)
  offset?: number;
}
