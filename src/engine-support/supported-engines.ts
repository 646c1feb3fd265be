import semver from 'semver';
import { EngineName, type EngineIdentity } from '../camunda/engine-identity.js';

/** The oldest release of each engine the gateway is tested on (scripts/test-engines.sh runs Camunda 7.20 and 7.24, Operaton 1.0). */
export const MINIMUM_VERSIONS: Record<EngineName, string> = {
  [EngineName.Camunda]: '7.20.0',
  [EngineName.Operaton]: '1.0.0',
};

const SUPPORTED = Object.entries(MINIMUM_VERSIONS)
  .map(([name, version]) => `${name} >= ${version}`)
  .join(', ');

/** Why the gateway must not run against this engine, or null when it may. */
export function refusalOf(identity: EngineIdentity): string | null {
  if (identity.name === null)
    return `the engine calls itself '${identity.productName}' (version ${identity.version}), which is not a supported engine (${SUPPORTED})`;
  const version = semver.coerce(identity.version);
  const minimum = MINIMUM_VERSIONS[identity.name];
  if (!version) return `the ${identity.name} engine reports version '${identity.version}', which is not a version (supported: ${SUPPORTED})`;
  if (semver.lt(version, minimum)) return `the ${identity.name} engine is version ${identity.version}, older than the oldest supported, ${minimum}`;
  return null;
}
