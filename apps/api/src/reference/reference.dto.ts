import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ZONE_CATEGORIES, ZONE_LEVELS, ZoneCategory, ZoneLevel } from '@app/domain';
import { IsIdentifier, IsLocalDate } from '../http/validators';

export class ZoneDto {
  @ApiProperty({ example: 'jiexiu-jkq' })
  @IsIdentifier()
  id!: string;

  @ApiProperty({ example: '介休经开区' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
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
  name?: string;
}
