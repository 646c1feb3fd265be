import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Role } from '../identity/caller.js';

export const ACCESS_KEY = 'gateway:access';
/** Marks public operations in the OpenAPI document, which then get `security: []`. */
export const PUBLIC_OPERATION_EXTENSION = 'x-gateway-public';

/** Settings that can open a route to callers without a token. */
export type PublicSwitch = 'METRICS_PUBLIC';

/** What a route declares about who may call it; a route that declares nothing is refused to everyone. */
export type Access = { public: true } | { roles: Role[]; publicWhen?: PublicSwitch; engineWide?: true };

/** Answers without a token (liveness, readiness). */
export const Public = () => applyDecorators(SetMetadata(ACCESS_KEY, { public: true } satisfies Access), ApiExtension(PUBLIC_OPERATION_EXTENSION, true));

/** Callers holding one of these roles in the workspaces in scope (an admin holds every role). */
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_KEY, { roles } satisfies Access);

/** Like Roles, but open to everyone while the named setting is true. */
export const RolesUnless = (publicWhen: PublicSwitch, ...roles: Role[]) =>
  applyDecorators(SetMetadata(ACCESS_KEY, { roles, publicWhen } satisfies Access), ApiExtension(PUBLIC_OPERATION_EXTENSION, publicWhen));

/**
 * Engine-wide operations (sync, outbox, identity administration, health in detail): an admin of every workspace
 * (`*`) without X-Workspace. An admin of some workspaces only is refused.
 */
export const EngineAdmin = () => SetMetadata(ACCESS_KEY, { roles: [Role.Admin], engineWide: true } satisfies Access);
