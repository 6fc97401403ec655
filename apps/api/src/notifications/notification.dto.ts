import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsYearMonth } from '../http/validators';

export class IssueNotificationDto {
  @ApiProperty({ example: '2023-10' })
  @IsYearMonth()
  month!: string;
}

export class MonthParam {
  @IsYearMonth()
  month!: string;
}

export class ExportQuery {
  @ApiPropertyOptional({ enum: ['json', 'xlsx', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'xlsx', 'csv'])
  format?: 'json' | 'xlsx' | 'csv';
}
