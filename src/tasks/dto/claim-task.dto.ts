import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ClaimTaskDto {
  @ApiProperty({ example: 'demo', description: 'Camunda user id that takes the task' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  userId!: string;
}
