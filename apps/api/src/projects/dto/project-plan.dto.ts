import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { OBSTACLE_CATEGORIES, ObstacleCategory } from '@app/domain';
import { IsIdentifier, IsLocalDate } from '../../http/validators';

const MAX_WAN = 1_000_000_000;

export class SetPlannedDatesDto {
  @ApiPropertyOptional({ example: '2024-03-01', description: '计划开工日期' })
  @IsOptional()
  @IsLocalDate()
  plannedStartOn?: string;

  @ApiPropertyOptional({ example: '2025-06-30', description: '计划投产日期 (not before plannedStartOn)' })
  @IsOptional()
  @IsLocalDate()
  plannedProductionOn?: string;

  @ApiPropertyOptional({ example: '用地未落实', description: 'required when a planned date changes' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason?: string;
}

export class PlanAnnualInvestmentDto {
  @ApiProperty({ example: 2024 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiProperty({ example: 80000, description: '年度计划投资 in 万元' })
  @IsInt()
  @Min(0)
  @Max(MAX_WAN)
  plannedInvestmentWan!: number;

  @ApiPropertyOptional({ example: '资金调整', description: "required when the year's plan changes" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason?: string;
}

export class RecordObstacleDto {
  @ApiProperty({
    example: 'land-2023-06',
    description: 'chosen by the caller; a retry with the same id records nothing',
  })
  @IsIdentifier()
  obstacleId!: string;

  @ApiProperty({ enum: OBSTACLE_CATEGORIES })
  @IsIn(OBSTACLE_CATEGORIES)
  category!: ObstacleCategory;

  @ApiProperty({ example: '用地指标未落实' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  description!: string;

  @ApiProperty({ example: '市自然资源局', description: '责任单位' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  responsibleUnit!: string;

  @ApiPropertyOptional({ example: '专班协调，月底前供地', description: '解决措施' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  measures?: string;

  @ApiProperty({ example: '2023-06-01', description: 'when the obstacle arose' })
  @IsLocalDate()
  raisedOn!: string;
}

export class UpdateObstacleDto {
  @ApiPropertyOptional({ enum: OBSTACLE_CATEGORIES })
  @IsOptional()
  @IsIn(OBSTACLE_CATEGORIES)
  category?: ObstacleCategory;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  responsibleUnit?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  measures?: string;

  @ApiProperty({ example: '协调进展' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class ResolveObstacleDto {
  @ApiProperty({ example: '2023-09-01' })
  @IsLocalDate()
  resolvedOn!: string;

  @ApiProperty({ example: '已供地' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  resolution!: string;
}

export class ObstacleParams {
  @IsIdentifier()
  projectId!: string;

  @IsIdentifier()
  obstacleId!: string;
}
