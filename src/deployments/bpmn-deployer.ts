import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DeploymentClient } from '../camunda/clients/deployment.client.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { InstanceRefresher } from '../sync/instance-refresher.js';

export const GATEWAY_DEPLOYMENT_SOURCE = 'camunda-gateway';
const RETRY_MS = 5_000;

/**
 * Deploys every BPMN_DIR/*.bpmn at start-up, letting the engine skip unchanged resources, and records the
 * engine's definitions in the mirror. If the engine is down, the gateway still starts and keeps retrying.
 */
@Injectable()
export class BpmnDeployer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BpmnDeployer.name);
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly deploymentClient: DeploymentClient,
    private readonly refresher: InstanceRefresher,
    private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.DEPLOY_ON_STARTUP) return;
    await this.attempt();
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  async deployAll(): Promise<void> {
    await this.deploy(undefined);
  }

  /** The same models into one tenant, so a workspace can start them; unchanged ones are skipped per tenant too. */
  async deployInto(tenantId: string): Promise<void> {
    await this.deploy(tenantId);
  }

  private async deploy(tenantId: string | undefined): Promise<void> {
    const directory = resolve(this.config.BPMN_DIR);
    const files = (await readdir(directory)).filter((file) => file.endsWith('.bpmn')).sort();
    const where = tenantId ? ` for tenant ${tenantId}` : '';
    if (files.length === 0) {
      this.logger.warn(`No .bpmn files in ${directory}; nothing deployed${where}`);
      return;
    }
    const resources = await Promise.all(files.map(async (fileName) => ({ fileName, content: await readFile(join(directory, fileName)) })));
    const deployment = await this.deploymentClient.deploy({
      name: GATEWAY_DEPLOYMENT_SOURCE,
      source: GATEWAY_DEPLOYMENT_SOURCE,
      deployChangedOnly: true,
      tenantId,
      resources,
    });
    const created = deployment.processDefinitions.map((definition) => `${definition.key}:${definition.version}`);
    this.logger.log(created.length > 0 ? `Deployed ${created.join(', ')}${where}` : `BPMN unchanged (${files.join(', ')}); nothing new deployed${where}`);
    await this.refresher.refreshDefinitions();
  }

  private async attempt(): Promise<void> {
    try {
      await this.deployAll();
    } catch (error) {
      this.logger.warn(`BPMN deployment failed: ${(error as Error).message}; retrying in ${RETRY_MS / 1000}s`);
      if (!this.stopped) this.retryTimer = setTimeout(() => void this.attempt(), RETRY_MS);
    }
  }
}
