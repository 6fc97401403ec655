import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { BATCHES, Batch, MILESTONES, Milestone } from '@app/domain';
import { IsIdentifier, IsLocalDate, IsYearMonth, IsName } from '../../http/validators';

const MAX_WAN = 1_000_000_000; // 10 万亿元: far above any project, far below float trouble.

/**
 * Like IsOptional, but only an absent field skips validation: `null` is validated (and
 * refused) rather than stored as the new value of, say, `industrial`.
 */
const IsAbsentOr = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

export class ProjectDetailsFields {
  @ApiProperty({ example: '年产10万吨新材料项目' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsName()
  name!: string;

  @ApiProperty({ example: '山西某新材料有限公司', description: '企业' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsName()
  enterprise!: string;

  @ApiProperty({ example: 470300, description: '总投资 in 万元 (470300 = 47.03亿元)' })
  @IsInt()
  @Min(1)
  @Max(MAX_WAN)
  totalInvestmentWan!: number;

  @ApiProperty({ description: '产业项目 (as opposed to infrastructure/services)' })
  @IsBoolean()
  industrial!: boolean;

  @ApiPropertyOptional({ description: '战略性新兴产业' })
  @IsOptional()
  @IsBoolean()
  strategicEmerging?: boolean;

  @ApiPropertyOptional({ example: '新材料', description: '产业链' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  industryChain?: string;

  @ApiPropertyOptional({ example: '2024-03-01' })
  @IsOptional()
  @IsLocalDate()
  plannedStartOn?: string;

  @ApiPropertyOptional({ example: '2025-06-30' })
  @IsOptional()
  @IsLocalDate()
  plannedProductionOn?: string;
}

export class SignProjectDto extends ProjectDetailsFields {
  @ApiPropertyOptional({ description: 'client-chosen id; generated when absent' })
  @IsOptional()
  @IsIdentifier()
  projectId?: string;

  @ApiProperty({ example: 'jinzhong-kfq' })
  @IsIdentifier()
  zoneId!: string;

  @ApiProperty({ example: '2023-02-22', description: '签约 date' })
  @IsLocalDate()
  signedOn!: string;
}

export class ListProjectDto {
  @ApiProperty({ example: '2023-r1' })
  @IsIdentifier()
  roundId!: string;

  @ApiProperty({ enum: BATCHES, description: '签约一批 / 开工一批 / 投产一批' })
  @IsIn(BATCHES)
  batch!: Batch;
}

export class RecordMilestoneDto {
  @ApiProperty({ enum: MILESTONES })
  @IsIn(MILESTONES)
  milestone!: Milestone;

  @ApiProperty({ example: '2023-05-29', description: 'effective date' })
  @IsLocalDate()
  occurredOn!: string;
}

export class ReasonDto {
  @ApiProperty({ example: '台账录入错误' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class CorrectMilestoneDto extends ReasonDto {
  @ApiProperty({ example: '2023-06-02', description: 'the corrected effective date' })
  @IsLocalDate()
  occurredOn!: string;
}

export class TerminateProjectDto extends CorrectMilestoneDto {}

export class ReportInvestmentProgressDto {
  @ApiProperty({ example: '2023-10' })
  @IsYearMonth()
  month!: string;

  @ApiProperty({ example: 120000, description: 'cumulative 完成投资 in 万元 at the end of the month' })
  @IsInt()
  @Min(0)
  @Max(MAX_WAN)
  completedInvestmentWan!: number;

  @ApiPropertyOptional({
    example: '统计口径调整',
    description: "a correction: required for a figure below the month's earlier report",
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason?: string;
}

export class AmendProjectDto extends ReasonDto {
  @ApiPropertyOptional()
  @IsAbsentOr()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsName()
  name?: string;

  @ApiPropertyOptional()
  @IsAbsentOr()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsName()
  enterprise?: string;

  @ApiPropertyOptional()
  @IsAbsentOr()
  @IsInt()
  @Min(1)
  @Max(MAX_WAN)
  totalInvestmentWan?: number;

  @ApiPropertyOptional()
  @IsAbsentOr()
  @IsBoolean()
  industrial?: boolean;

  @ApiPropertyOptional()
  @IsAbsentOr()
  @IsBoolean()
  strategicEmerging?: boolean;

  @ApiPropertyOptional()
  @IsAbsentOr()
  @IsString()
  @MaxLength(100)
  industryChain?: string;

  @ApiPropertyOptional()
  @IsAbsentOr()
  @IsLocalDate()
  plannedStartOn?: string;

  @ApiPropertyOptional()
  @IsAbsentOr()
  @IsLocalDate()
  plannedProductionOn?: string;
}

export class WarningDto {
  @ApiProperty({
    example: 'possible-duplicate',
    enum: ['possible-duplicate', 'amount-looks-like-yi', 'amount-looks-too-large'],
  })
  code!: string;

  @ApiProperty({ description: 'both languages, in the order Accept-Language prefers' })
  message!: string;

  @ApiPropertyOptional({
    example: 'totalInvestmentWan',
    description: 'the field it is about (for possible-duplicate: projectId or name, what the other shares)',
  })
  field?: string;

  @ApiPropertyOptional({ description: 'for possible-duplicate: the project it may duplicate' })
  projectId?: string;
}

export class WriteResponseDto {
  @ApiProperty()
  projectId!: string;

  @ApiProperty({ description: "the project's revision after the write (also the ETag)" })
  revision!: number;

  @ApiPropertyOptional({
    type: [WarningDto],
    description:
      'accepted, but worth a second look (a likely unit slip, a possible duplicate); absent when none',
  })
  warnings?: WarningDto[];
}

export class StrictQuery {
  @ApiPropertyOptional({
    description: 'refuse (409 possible-duplicate) instead of warning about a possible duplicate',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  strict?: boolean;
}
