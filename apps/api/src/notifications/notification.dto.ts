import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { DecimalInteger, IsYearMonth } from '../http/validators';

export class IssueNotificationDto {
  @ApiProperty({ example: '2023-10' })
  @IsYearMonth()
  month!: string;
}

export class MonthParam {
  @IsYearMonth()
  month!: string;
}

export class ReasonBody {
  @ApiProperty({ example: '晋中开发区数据录入有误' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class IssueQuery {
  @ApiPropertyOptional({ description: 'a given issue of the month (e.g. one superseded by an erratum)' })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  issue?: number;
}

export class ExportQuery extends IssueQuery {
  @ApiPropertyOptional({ enum: ['json', 'xlsx', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'xlsx', 'csv'])
  format?: 'json' | 'xlsx' | 'csv';
}
