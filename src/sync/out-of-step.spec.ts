import { EngineInstanceState, type EngineProcessInstance } from '../camunda/camunda.models.js';
import type { MirroredInstance } from './mirrored-open-instances.js';
import { outOfStep } from './out-of-step.js';

function onEngine(id: string, definitionId: string, state: EngineInstanceState): EngineProcessInstance {
  return { id, definitionId, state } as EngineProcessInstance;
}

describe('outOfStep', () => {
  it('finds instances suspended, migrated, ended or started behind the mirror, and nothing else', () => {
    const mirrored: MirroredInstance[] = [
      { id: 'same', state: EngineInstanceState.Active, definitionId: 'order:1' },
      { id: 'suspended', state: EngineInstanceState.Active, definitionId: 'order:1' },
      { id: 'migrated', state: EngineInstanceState.Active, definitionId: 'order:1' },
      { id: 'deleted', state: EngineInstanceState.Suspended, definitionId: 'order:1' },
    ];
    const engine = [
      onEngine('same', 'order:1', EngineInstanceState.Active),
      onEngine('suspended', 'order:1', EngineInstanceState.Suspended),
      onEngine('migrated', 'order:2', EngineInstanceState.Active),
      onEngine('unmirrored', 'order:2', EngineInstanceState.Active),
    ];
    expect([...outOfStep(mirrored, engine)].sort()).toEqual(['deleted', 'migrated', 'suspended', 'unmirrored']);
  });
});
