import { IncidentRecord } from './incident.entity.js';
import { ProcessDefinitionRecord } from './process-definition.entity.js';
import { ProcessInstanceRecord } from './process-instance.entity.js';
import { TaskRecord } from './task.entity.js';
import { VariableRecord } from './variable.entity.js';

export const MIRROR_ENTITIES = [ProcessDefinitionRecord, ProcessInstanceRecord, TaskRecord, VariableRecord, IncidentRecord];
