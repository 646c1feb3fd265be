/** Engines the gateway knows by name; anything else is named by what it calls itself. */
export enum EngineName {
  Camunda = 'camunda',
  Operaton = 'operaton',
}

/** Which engine this is, as it says itself: its product name (GET /telemetry/data) and its version (GET /version). */
export interface EngineIdentity {
  /** null for a product the gateway does not know. */
  name: EngineName | null;
  productName: string;
  version: string;
}

export function engineIdentityOf(productName: string, version: string): EngineIdentity {
  const name = productName.startsWith('Operaton') ? EngineName.Operaton : productName.startsWith('Camunda') ? EngineName.Camunda : null;
  return { name, productName, version };
}
