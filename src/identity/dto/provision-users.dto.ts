import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsEnum, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Optional } from '../../problem/optional.js';
import { ALL_WORKSPACES, Role, WORKSPACE_ID } from '../caller.js';

// A workspace id as tokens can name one, or every workspace.
const WORKSPACE_GRANT = new RegExp(`^\\*$|${WORKSPACE_ID.source}`);

export const MAX_BULK_USERS = 500;

export class GrantDto {
  @ApiProperty({ example: 'acme', description: `A workspace id, or ${ALL_WORKSPACES} for every workspace` })
  @IsString()
  @Matches(WORKSPACE_GRANT, { message: 'workspace must be * or 1-64 letters, digits, _, - or . starting with a letter or digit, as in tokens' })
  workspace!: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role)
  role!: Role;
}

export class UserToProvisionDto {
  @ApiProperty({ example: '3f0c1d9e-8a4b-4c55-9d7e-2b1f6a0c9e11', description: 'Stable id of the user at the configured AUTH_ISSUER (its sub)' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  localId!: string;

  @ApiPropertyOptional({ example: 'mary' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  username?: string;

  @ApiPropertyOptional({ example: 'Mary Smith' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional({ example: 'mary@example.org', description: 'At most 255 characters: the length Camunda stores' })
  @Optional()
  @IsEmail()
  @MaxLength(255)
  email?: string;

  @ApiProperty({ type: [GrantDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => GrantDto)
  grants!: GrantDto[];
}

export class ProvisionUsersDto {
  @ApiProperty({ type: [UserToProvisionDto], maxItems: MAX_BULK_USERS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_USERS)
  @ValidateNested({ each: true })
  @Type(() => UserToProvisionDto)
  users!: UserToProvisionDto[];
}

export class RenameWorkspaceDto {
  @ApiProperty({ example: 'ACME Corporation' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name!: string;
}
