import { Injectable, Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { CamundaError, CamundaErrorCode, isEngineUnreachable } from '../camunda/camunda.errors.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { isDatabaseUnavailable } from '../problem/problem-details.filter.js';
import { holdsAdmin, workspaceAccessOf } from './caller-access.js';
import { RoleGroups } from './role-groups.js';
import { ALL_WORKSPACES, type Caller, type TokenIdentity } from './caller.js';
import { identityFingerprint, identityKey } from './identity-fingerprint.js';
import { IdentityStore } from './identity-store.js';
import { UserProvisioning } from './user-provisioning.js';
import { WorkspaceProvisioner } from './workspace-provisioner.js';

const LAST_SEEN_INTERVAL_MS = 60_000;
const PROVISION_RETRY_PAUSE_MS = 10_000;
/** Provisioning cannot be done now: engine unreachable or failing, or the gateway's database gone. */
function isOutage(error: unknown): boolean {
  return isEngineUnreachable(error) || (error instanceof CamundaError && error.code === CamundaErrorCode.EngineFailure) || isDatabaseUnavailable(error);
}

interface CachedCaller {
  caller: Caller;
  userId: string;
  fingerprint: string;
  provisionedAt: number;
  /** WorkspaceProvisioner.generation when provisioned, for callers granted ALL_WORKSPACES; null for the others. */
  workspaceGeneration: number | null;
  lastSeenWrittenAt: number;
}

/**
 * The Caller of a verified identity, for every authenticated request. The common path is a memory hit; a new
 * identity, a changed one (name, e-mail, grants) or one provisioned longer than AUTH_PROVISION_REFRESH_MS ago is
 * provisioned into Camunda, once per process however many requests ask at the same time. A caller granted every
 * workspace is provisioned again as soon as this process created a workspace, so it reaches the new one at once.
 */
@Injectable()
export class IdentityProvisioner {
  private readonly logger = new Logger(IdentityProvisioner.name);
  private readonly cache: LRUCache<string, CachedCaller>;
  private readonly inFlight = new Map<string, Promise<CachedCaller>>();
  /** Callers whose provisioning failed for an outage are not tried again on every request. */
  private readonly pausedUntil = new LRUCache<string, { until: number; error: unknown }>({ max: 10_000 });

  constructor(
    private readonly provisioning: UserProvisioning,
    private readonly store: IdentityStore,
    private readonly workspaces: WorkspaceProvisioner,
    private readonly roleGroups: RoleGroups,
    private readonly config: GatewayConfig,
  ) {
    this.cache = new LRUCache({ max: config.AUTH_CALLER_CACHE_SIZE });
  }

  async callerFor(identity: TokenIdentity): Promise<Caller> {
    const key = identityKey(identity);
    const fingerprint = identityFingerprint(identity);
    const cached = this.cache.get(key);
    const now = Date.now();
    if (
      cached &&
      cached.fingerprint === fingerprint &&
      now - cached.provisionedAt < this.config.AUTH_PROVISION_REFRESH_MS &&
      this.knowsEveryWorkspace(cached)
    ) {
      this.noteSeen(cached, now);
      return cached.caller;
    }
    const pause = this.pausedUntil.get(key);
    if (pause && pause.until > now) return this.unprovisioned(identity, key, pause.error);
    try {
      return (await this.provisionOnce(key, fingerprint, identity)).caller;
    } catch (error) {
      if (!isOutage(error)) throw error;
      this.pausedUntil.set(key, { until: now + PROVISION_RETRY_PAUSE_MS, error });
      this.logger.warn(
        `Provisioning ${identity.username ?? identity.localId} failed (${(error as Error).message}); a caller provisioned before is served with what its token grants, retrying in ${PROVISION_RETRY_PAUSE_MS / 1000} s`,
      );
      return this.unprovisioned(identity, key, error);
    }
  }

  /**
   * While the engine or the database cannot be reached, a caller provisioned before still gets in, with what its
   * token grants now (Camunda's memberships catch up on the next provisioning): mirror reads keep working through
   * an engine outage. A caller never provisioned cannot be, and gets the outage's error.
   */
  private async unprovisioned(identity: TokenIdentity, key: string, outage: unknown): Promise<Caller> {
    const cached = this.cache.get(key);
    let camundaUserId = cached?.caller.camundaUserId;
    let known = cached?.caller.workspaces.map((access) => ({ id: access.workspaceId, tenantId: access.tenantId }));
    try {
      const stored = await this.store.findProvisionedUser(identity);
      camundaUserId = stored?.camundaUserId ?? camundaUserId;
      known = await this.store.allWorkspaces();
    } catch {
      // The database is out too: what this process knew is all there is.
    }
    if (!camundaUserId || !known) throw outage;
    return {
      identity,
      camundaUserId,
      admin: holdsAdmin(identity.grants),
      workspaces: workspaceAccessOf(identity.grants, known, (roles) => this.roleGroups.groupsOf(roles)),
    };
  }

  private provisionOnce(key: string, fingerprint: string, identity: TokenIdentity): Promise<CachedCaller> {
    const flightKey = `${key}\n${fingerprint}`;
    let flight = this.inFlight.get(flightKey);
    if (!flight) {
      const everywhere = identity.grants.some((grant) => grant.workspace === ALL_WORKSPACES);
      // Read before provisioning starts: a workspace created meanwhile may be missing from its answer.
      const workspaceGeneration = everywhere ? this.workspaces.generation : null;
      flight = this.provisioning
        .provision(identity)
        .then(({ caller, userId }) => {
          const entry = { caller, userId, fingerprint, provisionedAt: Date.now(), workspaceGeneration, lastSeenWrittenAt: Date.now() };
          this.cache.set(key, entry);
          return entry;
        })
        .finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, flight);
    }
    return flight;
  }

  private knowsEveryWorkspace(entry: CachedCaller): boolean {
    return entry.workspaceGeneration === null || entry.workspaceGeneration === this.workspaces.generation;
  }

  /** last_seen_at is written at most once a minute per caller: requests must not each cost a database write. */
  private noteSeen(entry: CachedCaller, now: number): void {
    if (now - entry.lastSeenWrittenAt < LAST_SEEN_INTERVAL_MS) return;
    entry.lastSeenWrittenAt = now;
    this.store
      .touchLastSeen(entry.userId)
      .catch((error: unknown) => this.logger.warn(`Could not record when ${entry.caller.camundaUserId} was last seen: ${(error as Error).message}`));
  }
}
