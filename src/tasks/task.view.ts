import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TaskState, type TaskRecord } from '../mirror/task.entity.js';
import { restored } from '../mirror/unstorable-text.js';

export class TaskView {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) processInstanceId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) processDefinitionKey!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) businessKey!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Manager Approval' }) name!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) description!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) taskDefinitionKey!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) assignee!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) owner!: string | null;
  @ApiProperty({ type: [String] }) candidateUsers!: string[];
  @ApiProperty({ type: [String], example: ['managers'] }) candidateGroups!: string[];
  @ApiProperty() priority!: number;
  @ApiProperty({ enum: TaskState }) state!: TaskState;
  @ApiProperty({ description: 'Its instance is suspended: it cannot be claimed or completed until the instance is activated' }) suspended!: boolean;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ type: Date, nullable: true }) dueAt!: Date | null;
  @ApiPropertyOptional({ type: Date, nullable: true }) followUpAt!: Date | null;
  @ApiPropertyOptional({ type: Date, nullable: true }) endedAt!: Date | null;
  @ApiPropertyOptional({ type: String, nullable: true }) tenantId!: string | null;
  @ApiProperty() lastSyncedAt!: Date;

  static of(record: TaskRecord): TaskView {
    const { escapedFields: _storage, ...view } = restored(record);
    return Object.assign(new TaskView(), view);
  }
}
