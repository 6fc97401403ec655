import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class ImportQueryDto {
  @ApiPropertyOptional({ description: 'check every row and write nothing', default: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun?: boolean;
}

export class ImportUploadDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: '.xlsx or .csv (UTF-8 or GB18030), at most 10 MB',
  })
  file!: unknown;
}

export class ImportRowResultDto {
  @ApiProperty({ description: "the spreadsheet's row number" })
  row!: number;
  @ApiProperty({
    description:
      'the project the row is about (generated from zone, name, enterprise and signing date when the row has none)',
  })
  projectId!: string;
  @ApiProperty({
    type: [String],
    description: 'types of the events the row recorded (dry run: would record)',
  })
  events!: string[];
}

export class ImportSummaryDto {
  @ApiProperty({ description: 'correlation id of every event of the import' })
  importId!: string;
  @ApiProperty()
  file!: string;
  @ApiProperty({ description: "the file's SHA-256, kept in each event's source" })
  sha256!: string;
  @ApiProperty()
  dryRun!: boolean;
  @ApiProperty({ description: 'data rows read' })
  rows!: number;
  @ApiProperty({ description: 'distinct projects in the file' })
  projects!: number;
  @ApiProperty({
    description: 'events recorded (dry run: that would be recorded); 0 when every row was already recorded',
  })
  events!: number;
  @ApiProperty({ type: [ImportRowResultDto] })
  results!: ImportRowResultDto[];
  @ApiProperty({
    type: () => [ImportWarningDto],
    description:
      'what the project endpoints warn about, for each row that signs a project: an amount that looks mistyped, a ' +
      'possible duplicate of a recorded project or of an earlier row. The file is not refused for them; empty when none',
  })
  warnings!: ImportWarningDto[];
}

export class RowErrorDto {
  @ApiProperty({ description: "the spreadsheet's row number (1 = the header row)" })
  row!: number;
  @ApiProperty({ description: "the column's Chinese header", example: '开工日期' })
  column!: string;
  @ApiProperty({ example: '开工日期早于签约日期 / construction start before signing' })
  message!: string;
}

export class ImportRejectedDto {
  @ApiProperty({ example: 400 })
  status!: number;
  @ApiProperty({ example: 'import-rejected' })
  code!: string;
  @ApiProperty()
  detail!: string;
  @ApiProperty({ type: [RowErrorDto], description: 'every problem of every row' })
  errors!: RowErrorDto[];
}

export class ImportWarningDto {
  @ApiProperty({ description: "the spreadsheet's row number" })
  row!: number;
  @ApiProperty({ description: "the column's Chinese header", example: '总投资（万元）' })
  column!: string;
  @ApiProperty({
    example:
      '金额 47 万元偏小，是否把亿元当作万元填写？（47 亿元 = 470000 万元） / 47 万元 is very small: was it typed in 亿元? (47 亿元 = 470000 万元)',
  })
  message!: string;
  @ApiProperty({ enum: ['possible-duplicate', 'amount-looks-like-yi', 'amount-looks-too-large'] })
  code!: string;
  @ApiPropertyOptional({ description: 'for possible-duplicate: the project the row may duplicate' })
  projectId?: string;
}
