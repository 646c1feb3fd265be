import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { GatewayConfig } from '../config/gateway-config.js';
import { ACCESS_KEY } from './access.js';

/**
 * Refuses to boot while a route declares no access (@Public or @Roles), so an endpoint nobody thought about
 * cannot ship; the guard closes such a route too. Warns at every boot while authentication is disabled.
 */
@Injectable()
export class AccessDeclarations implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    const undeclared = this.undeclaredRoutes();
    if (undeclared.length > 0) throw new Error(`Routes without an access declaration (@Public or @Roles): ${undeclared.join(', ')}`);
    if (this.config.AUTH_DISABLED) {
      this.logger.warn('AUTH_DISABLED=true: every request acts as an engine-wide admin. For local experiments only, never in production.');
    }
  }

  undeclaredRoutes(): string[] {
    return this.discovery.getControllers().flatMap(({ metatype, instance }) => {
      if (!metatype || !instance) return [];
      const prototype = Object.getPrototypeOf(instance) as object;
      return this.scanner
        .getAllMethodNames(prototype)
        .filter((name) => {
          const handler = (prototype as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
          return Reflect.hasMetadata(PATH_METADATA, handler) && !this.reflector.getAllAndOverride(ACCESS_KEY, [handler, metatype]);
        })
        .map((name) => `${metatype.name}.${name}`);
    });
  }
}
