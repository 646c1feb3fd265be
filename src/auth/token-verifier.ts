import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { GatewayConfig } from '../config/gateway-config.js';
import type { TokenIdentity } from '../identity/caller.js';
import { identityFromClaims } from './token-identity.js';

const DISCOVERY_TIMEOUT_MS = 5_000;

type RemoteKeys = ReturnType<typeof createRemoteJWKSet>;

/** Why a token was refused, worded for the caller (RFC 6750 error_description). */
export class InvalidTokenError extends Error {}
/** The issuer's keys could not be fetched and none cached fits the token. */
export class IssuerUnreachableError extends Error {}

/**
 * Verifies bearer tokens of the configured OIDC issuer: signature with the issuer's published keys (asymmetric
 * algorithms only), issuer, audience, expiry with the configured clock skew. Keys are cached without expiry and
 * refreshed in the background; a refresh that fails keeps the keys already known, so an IdP outage does not
 * reject tokens it signed before.
 */
@Injectable()
export class TokenVerifier implements OnModuleDestroy {
  private readonly logger = new Logger(TokenVerifier.name);
  private keys: Promise<RemoteKeys> | null = null;
  private readonly refreshTimer: NodeJS.Timeout;

  constructor(private readonly config: GatewayConfig) {
    this.refreshTimer = setInterval(() => void this.refreshKeys(), config.AUTH_JWKS_REFRESH_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refreshTimer);
  }

  async verify(token: string): Promise<TokenIdentity> {
    const keys = await this.remoteKeys();
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys as JWTVerifyGetKey, {
        issuer: this.config.AUTH_ISSUER,
        audience: this.config.AUTH_AUDIENCE,
        algorithms: this.config.AUTH_ALGORITHMS,
        clockTolerance: this.config.AUTH_CLOCK_SKEW_S,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw translate(error);
    }
    const identity = identityFromClaims(payload, this.config.AUTH_ISSUER, this.config);
    if (!identity) throw new InvalidTokenError(`The token has no usable ${this.config.AUTH_CLAIM_USER_ID} claim`);
    return identity;
  }

  private remoteKeys(): Promise<RemoteKeys> {
    this.keys ??= this.locateKeys().catch((error: unknown) => {
      this.keys = null;
      throw error;
    });
    return this.keys;
  }

  private async locateKeys(): Promise<RemoteKeys> {
    const uri = this.config.AUTH_JWKS_URI ?? (await this.discoverKeysUri());
    return createRemoteJWKSet(new URL(uri), { cacheMaxAge: Infinity, cooldownDuration: this.config.AUTH_JWKS_COOLDOWN_MS });
  }

  /** OpenID Connect discovery; the document must name the configured issuer (OIDC Discovery §4.3). */
  private async discoverKeysUri(): Promise<string> {
    const issuer = this.config.AUTH_ISSUER.replace(/\/$/, '');
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      document = (await response.json()) as typeof document;
    } catch (error) {
      throw new IssuerUnreachableError(`OpenID discovery of ${issuer} failed: ${(error as Error).message}`);
    }
    if (document.issuer !== this.config.AUTH_ISSUER || typeof document.jwks_uri !== 'string') {
      throw new IssuerUnreachableError(`The discovery document of ${issuer} names another issuer or no jwks_uri`);
    }
    return document.jwks_uri;
  }

  private async refreshKeys(): Promise<void> {
    if (!this.keys) return;
    try {
      await (await this.keys).reload();
    } catch (error) {
      this.logger.warn(`Refreshing the issuer's signing keys failed, keeping the cached ones: ${(error as Error).message}`);
    }
  }
}

function translate(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('The token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) return new InvalidTokenError(`The token's "${error.claim}" claim is not accepted`);
  if (error instanceof errors.JOSEAlgNotAllowed) return new InvalidTokenError('The token is signed with an algorithm that is not accepted');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidTokenError('The token is not signed by a key of the issuer');
  }
  // A bare JOSEError is what jose throws for a JWKS answer other than 200; fetch's own failures are no JOSEErrors.
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError) || error.constructor === errors.JOSEError) {
    return new IssuerUnreachableError(`The issuer's signing keys could not be fetched: ${(error as Error).message}`);
  }
  return new InvalidTokenError('The token is malformed');
}
