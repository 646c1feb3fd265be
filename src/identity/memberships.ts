import { CamundaError } from '../camunda/camunda.errors.js';

/** What to change so a user is in exactly the desired ones of the gateway-managed groups or tenants. */
export function membershipChanges(current: Iterable<string>, desired: Iterable<string>, managed: Set<string>): { add: string[]; remove: string[] } {
  const held = new Set(current);
  const wanted = new Set(desired);
  return {
    add: [...wanted].filter((id) => !held.has(id)),
    remove: [...held].filter((id) => managed.has(id) && !wanted.has(id)),
  };
}

/**
 * Adds a membership. The engine answers a duplicate with HTTP 500 (a unique-key violation), which is what another
 * replica provisioning the same user at the same time leaves behind: a failed add is success if the membership
 * is there when read again.
 */
export async function addMembership(add: () => Promise<void>, isMember: () => Promise<boolean>): Promise<void> {
  try {
    await add();
  } catch (error) {
    if (error instanceof CamundaError && (await isMember())) return;
    throw error;
  }
}

/** Makes a user's memberships of the managed groups or tenants exactly the desired ones; others stay as they are. */
export async function syncMemberships(
  desired: string[],
  managed: Set<string>,
  memberships: { held: () => Promise<string[]>; add: (id: string) => Promise<void>; remove: (id: string) => Promise<void> },
): Promise<void> {
  const { add, remove } = membershipChanges(await memberships.held(), desired, managed);
  for (const id of add)
    await addMembership(
      () => memberships.add(id),
      async () => (await memberships.held()).includes(id),
    );
  for (const id of remove) await memberships.remove(id);
}
