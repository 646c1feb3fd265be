import type { EngineUserOperation } from '../camunda/camunda.models.js';

/** Process definitions, by id or by key, whose open instances an operation changed without naming them. */
export interface DefinitionsTouched {
  ids: Set<string>;
  keys: Set<string>;
}

/**
 * Finds the user operations that changed instances in bulk and left one entry naming a definition but no instance
 * (as the engine writes them, checked on Camunda 7.24):
 * - suspend or activate by definition (PUT /process-instance/suspended with processDefinitionId or -Key: entityType
 *   ProcessInstance, operationType Suspend or Activate, the definition's id, or only its key);
 * - suspend or activate a definition with includeProcessInstances (entityType ProcessDefinition, one entry of the
 *   operation has property includeProcessInstances = true);
 * - a synchronous migration (operationType Migrate: processDefinitionId names the source, the entry with property
 *   processDefinitionId has the target as newValue).
 * An asynchronous operation (one entry has property async = true) only created a batch: its work happens later in
 * batch jobs that log nothing, so it is followed up when the batch ends (BulkFollowUp), not here.
 * Operations on instances picked by id or query (nrOfInstances, no definition) write one entry per instance as well
 * when synchronous, so they need nothing here.
 */
export function definitionsTouchedInBulk(operations: EngineUserOperation[]): DefinitionsTouched {
  const touched: DefinitionsTouched = { ids: new Set(), keys: new Set() };
  const asynchronous = new Set(operations.filter((entry) => entry.property === 'async' && entry.newValue === 'true').map((entry) => entry.operationId));
  const withInstances = new Set(
    operations.filter((entry) => entry.property === 'includeProcessInstances' && entry.newValue === 'true').map((entry) => entry.operationId),
  );
  for (const entry of operations) {
    if (entry.processInstanceId || asynchronous.has(entry.operationId)) continue;
    const onInstances = entry.entityType === 'ProcessInstance' || (entry.entityType === 'ProcessDefinition' && withInstances.has(entry.operationId));
    if (!onInstances) continue;
    if (entry.processDefinitionId) touched.ids.add(entry.processDefinitionId);
    else if (entry.processDefinitionKey) touched.keys.add(entry.processDefinitionKey);
    if (entry.operationType === 'Migrate' && entry.property === 'processDefinitionId' && entry.newValue) touched.ids.add(entry.newValue);
  }
  return touched;
}
