import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EngineInfoClient } from '../camunda/clients/engine-info.client.js';
import type { EngineIdentity } from '../camunda/engine-identity.js';
import { refusalOf } from './supported-engines.js';

const RECHECK_MS = 2_000;

/** Raised at boot: the gateway does not start against an engine it does not support. */
export class UnsupportedEngineError extends Error {
  override readonly name = 'UnsupportedEngineError';
}

/**
 * Asks the engine which product and version it is before the gateway starts, and refuses an unsupported one by
 * name. An engine that does not answer at boot does not keep the gateway down (it serves 503s and recovers, as in
 * any engine outage); it is asked again until it answers, and an unsupported answer then stops the process.
 */
@Injectable()
export class EngineGate implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EngineGate.name);
  private known: EngineIdentity | null = null;
  private recheck: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly engineInfo: EngineInfoClient) {}

  /** The engine's identity once it has answered; null before. */
  get identity(): EngineIdentity | null {
    return this.known;
  }

  async onModuleInit(): Promise<void> {
    try {
      this.admit(await this.engineInfo.identity());
    } catch (error) {
      if (error instanceof UnsupportedEngineError) throw error;
      this.logger.warn(`The engine did not say which engine it is (${(error as Error).message}); asking again every ${RECHECK_MS} ms`);
      this.askAgainLater();
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.recheck) clearTimeout(this.recheck);
    this.recheck = null;
  }

  private askAgainLater(): void {
    // An answer still on its way when the gateway stopped must not schedule another question.
    if (this.stopped) return;
    this.recheck = setTimeout(() => {
      this.recheck = null;
      this.engineInfo.identity().then(
        (identity) => {
          try {
            this.admit(identity);
          } catch (error) {
            this.logger.fatal(`camunda-gateway stops: ${(error as Error).message}`);
            process.exit(1);
          }
        },
        () => this.askAgainLater(),
      );
    }, RECHECK_MS);
    this.recheck.unref();
  }

  private admit(identity: EngineIdentity): void {
    const refusal = refusalOf(identity);
    if (refusal) throw new UnsupportedEngineError(`${refusal}. Point CAMUNDA_URL at a supported engine.`);
    this.known = identity;
    this.logger.log(`Engine: ${identity.productName} ${identity.version}`);
  }
}
