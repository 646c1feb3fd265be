import type { EngineProcessInstance } from '../camunda/camunda.models.js';
import type { MirroredInstance } from './mirrored-open-instances.js';

/**
 * Instances the mirror and the engine see differently: open in one only, or open in both in another state or on
 * another definition. Both lists must cover the same instances (all open ones, or those of the same definitions).
 */
export function outOfStep(mirrored: MirroredInstance[], engineOpen: EngineProcessInstance[]): Set<string> {
  const engine = new Map(engineOpen.map((instance) => [instance.id, instance]));
  const differing = new Set<string>();
  for (const row of mirrored) {
    const current = engine.get(row.id);
    if (!current || current.state !== row.state || current.definitionId !== row.definitionId) differing.add(row.id);
  }
  const known = new Set(mirrored.map((row) => row.id));
  for (const instance of engineOpen) if (!known.has(instance.id)) differing.add(instance.id);
  return differing;
}
