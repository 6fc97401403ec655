import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { ZONE_CATEGORIES, ZONE_LEVELS, ZoneCategory, ZoneLevel } from '@app/domain';
import { IsInstant } from '../http/instant';
import { IsIdentifier, IsLocalDate, IsName } from '../http/validators';

export class ZoneDto {
  @ApiProperty({ example: 'jiexiu-jkq' })
  @IsIdentifier()
  id!: string;

  @ApiProperty({ example: '介休经开区' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @IsName()
  name!: string;

  @ApiProperty({ example: 'jinzhong', description: 'the city (地市) the zone belongs to' })
  @IsIdentifier()
  cityId!: string;

  @ApiProperty({ enum: ZONE_CATEGORIES, description: '工业类 / 农业类 / 文旅类' })
  @IsIn(ZONE_CATEGORIES)
  category!: ZoneCategory;

  @ApiProperty({ enum: ZONE_LEVELS, description: '国家级 / 省级' })
  @IsIn(ZONE_LEVELS)
  level!: ZoneLevel;
}

export class RoundDto {
  @ApiProperty({ example: '2023-r1' })
  @IsIdentifier()
  id!: string;

  @ApiProperty({
    example: '2023-02-22',
    description: 'the day the round was held; listings take effect then',
  })
  @IsLocalDate()
  heldOn!: string;

  @ApiPropertyOptional({ example: 'jinzhong-kfq', description: '主会场' })
  @IsOptional()
  @IsIdentifier()
  mainVenueZoneId?: string;

  @ApiPropertyOptional({ example: '2023年第一次"三个一批"活动' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsName()
  name?: string;
}

/** Only an absent field is left unchanged: `null` is refused. */
const IsAbsentOr = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

class CorrectionReason {
  @ApiProperty({ example: '登记时名称有误' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class CorrectZoneDto extends CorrectionReason {
  @ApiPropertyOptional({ example: '介休经济技术开发区' })
  @IsAbsentOr()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @IsName()
  name?: string;

  @ApiPropertyOptional({ example: 'jinzhong' })
  @IsAbsentOr()
  @IsIdentifier()
  cityId?: string;

  @ApiPropertyOptional({ enum: ZONE_CATEGORIES })
  @IsAbsentOr()
  @IsIn(ZONE_CATEGORIES)
  category?: ZoneCategory;

  @ApiPropertyOptional({ enum: ZONE_LEVELS })
  @IsAbsentOr()
  @IsIn(ZONE_LEVELS)
  level?: ZoneLevel;
}

export class CorrectRoundDto extends CorrectionReason {
  @ApiPropertyOptional({ example: '2023-02-23', description: 'only while no listing refers to the round' })
  @IsAbsentOr()
  @IsLocalDate()
  heldOn?: string;

  @ApiPropertyOptional({ example: 'jinzhong-kfq' })
  @IsAbsentOr()
  @IsIdentifier()
  mainVenueZoneId?: string;

  @ApiPropertyOptional({ example: '2023年第一次"三个一批"活动' })
  @IsAbsentOr()
  @IsString()
  @MaxLength(200)
  @IsName()
  name?: string;
}

/** Zones and rounds as known at K: as registered and corrected by then. */
export class KnownAtQuery {
  @ApiPropertyOptional({ example: '2023-11-05T00:00:00Z', description: 'recorded time K (default: now)' })
  @IsOptional()
  @IsInstant()
  knownAt?: string;
}

export class ZoneIdParam {
  @IsIdentifier()
  zoneId!: string;
}

export class RoundIdParam {
  @IsIdentifier()
  roundId!: string;
}
