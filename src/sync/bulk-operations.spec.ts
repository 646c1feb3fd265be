import type { EngineUserOperation } from '../camunda/camunda.models.js';
import { definitionsTouchedInBulk } from './bulk-operations.js';

// Entries as Camunda 7.24 writes them (GET /history/user-operation after each operation on a real engine).
function entry(operationId: string, fields: Partial<EngineUserOperation>): EngineUserOperation {
  return {
    id: `${operationId}-${fields.property}`,
    operationId,
    at: new Date(0),
    operationType: 'Suspend',
    entityType: 'ProcessInstance',
    processInstanceId: null,
    processDefinitionId: null,
    processDefinitionKey: null,
    taskId: null,
    property: null,
    orgValue: null,
    newValue: null,
    ...fields,
  };
}

describe('definitionsTouchedInBulk', () => {
  it('names the definition of a suspension by definition id, and the key of an activation by key', () => {
    const touched = definitionsTouchedInBulk([
      entry('op1', {
        operationType: 'Suspend',
        processDefinitionId: 'order:1:a',
        processDefinitionKey: 'order',
        property: 'suspensionState',
        newValue: 'suspended',
      }),
      entry('op2', { operationType: 'Activate', processDefinitionKey: 'invoice', property: 'suspensionState', newValue: 'active' }),
    ]);
    expect([...touched.ids]).toEqual(['order:1:a']);
    expect([...touched.keys]).toEqual(['invoice']);
  });

  it('counts a definition suspension only when it included the instances', () => {
    const touched = definitionsTouchedInBulk([
      entry('op1', {
        operationType: 'SuspendProcessDefinition',
        entityType: 'ProcessDefinition',
        processDefinitionId: 'with:1:a',
        property: 'suspensionState',
        newValue: 'suspended',
      }),
      entry('op1', {
        operationType: 'SuspendProcessDefinition',
        entityType: 'ProcessDefinition',
        processDefinitionId: 'with:1:a',
        property: 'includeProcessInstances',
        newValue: 'true',
      }),
      entry('op2', {
        operationType: 'SuspendProcessDefinition',
        entityType: 'ProcessDefinition',
        processDefinitionId: 'without:1:b',
        property: 'suspensionState',
        newValue: 'suspended',
      }),
      entry('op2', {
        operationType: 'SuspendProcessDefinition',
        entityType: 'ProcessDefinition',
        processDefinitionId: 'without:1:b',
        property: 'includeProcessInstances',
        newValue: 'false',
      }),
    ]);
    expect([...touched.ids]).toEqual(['with:1:a']);
  });

  it('names source and target of a synchronous migration, and leaves asynchronous ones to the batch follow-up', () => {
    const migration = (operationId: string, async: string) => [
      entry(operationId, {
        operationType: 'Migrate',
        processDefinitionId: `${operationId}:1:s`,
        property: 'processDefinitionId',
        orgValue: `${operationId}:1:s`,
        newValue: `${operationId}:2:t`,
      }),
      entry(operationId, { operationType: 'Migrate', processDefinitionId: `${operationId}:1:s`, property: 'nrOfInstances', newValue: '3' }),
      entry(operationId, { operationType: 'Migrate', processDefinitionId: `${operationId}:1:s`, property: 'async', newValue: async }),
    ];
    const touched = definitionsTouchedInBulk([...migration('sync', 'false'), ...migration('batch', 'true')]);
    expect([...touched.ids].sort()).toEqual(['sync:1:s', 'sync:2:t']);
  });

  it('ignores entries that name their instance, and group operations that name no definition', () => {
    const touched = definitionsTouchedInBulk([
      entry('op1', { operationType: 'Suspend', processInstanceId: 'p1', processDefinitionId: 'order:1:a', property: 'suspensionState' }),
      entry('op2', { operationType: 'SuspendJob', property: 'nrOfInstances', newValue: '2' }),
      entry('op3', { operationType: 'Claim', entityType: 'Task', processDefinitionId: 'order:1:a', property: 'assignee' }),
    ]);
    expect(touched.ids.size + touched.keys.size).toBe(0);
  });
});
