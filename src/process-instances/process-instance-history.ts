import type { HistoricActivity, VariableChange } from '../camunda/camunda.models.js';

/** What happened in one instance, for an audit view. */
export interface ProcessInstanceHistory {
  activities: HistoricActivity[];
  tasks: { id: string; name: string | null; assignee: string | null; createdAt: Date; endedAt: Date | null; deleteReason: string | null }[];
  variableChanges: VariableChange[];
}
