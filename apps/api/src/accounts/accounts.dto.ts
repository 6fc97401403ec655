import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ROLES, Role } from '@app/application';
import { IsIdentifier, IsName } from '../http/validators';

export class SignInDto {
  @ApiProperty({ example: 'wang.li' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password!: string;
}

export class NewAccountDto extends SignInDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ example: '王丽', description: 'shown in the console and recorded with every event' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @IsName()
  displayName?: string;

  @ApiPropertyOptional({ type: [String], description: 'zones an officer may act for' })
  @IsOptional()
  @IsArray()
  @IsIdentifier({ each: true })
  zones?: string[];

  @ApiPropertyOptional({ type: [String], description: 'cities an officer may act for' })
  @IsOptional()
  @IsArray()
  @IsIdentifier({ each: true })
  cities?: string[];
}

export class AccountDisabledDto {
  @ApiProperty()
  @IsIn([true, false])
  disabled!: boolean;
}
