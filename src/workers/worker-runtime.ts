import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ExternalTaskTopics, type TopicFetchStatus, type TopicPoller } from '../camunda/external-task-topics.js';
import { GatewayConfig, GatewayRole } from '../config/gateway-config.js';
import { ExternalTaskExecutor } from './external-task-executor.js';
import { ExternalTaskWorker, type ExternalTaskHandler, type WorkerSettings } from './worker-api.js';
import type { WorkerDefinition } from './worker-definition.js';
import { RegisteredWorker } from './external-task-workers.module.js';
import { resolveWorkerSettings } from './worker-settings.js';

/** Finds every @ExternalTaskWorker provider and ExternalTaskWorkersModule registration at boot, polls one fetch-and-lock per topic, and drains on shutdown. */
@Injectable()
export class WorkerRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerRuntime.name);
  private pollers: TopicPoller[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly topics: ExternalTaskTopics,
    private readonly executor: ExternalTaskExecutor,
    private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.WORKERS_ENABLED || this.config.GATEWAY_ROLE === GatewayRole.Api) return;
    for (const worker of this.discover()) {
      this.pollers.push(this.topics.poll(worker.settings, (task, actions) => this.executor.execute(worker, task, actions)));
      this.logger.log(`Worker for topic '${worker.settings.topic}' started (in flight <= ${worker.settings.maxInFlight})`);
    }
  }

  /** Whether each topic's fetching works; empty when workers are off in this process. */
  status(): TopicFetchStatus[] {
    return this.pollers.map((poller) => poller.status());
  }

  /**
   * Stops fetching at once (a long poll in flight is ended, tasks arriving now are unlocked), lets tasks in hand
   * finish until WORKER_DRAIN_TIMEOUT_MS, unlocks the rest.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.executor.stopTaking();
    for (const poller of this.pollers) poller.stop();
    this.pollers = [];
    this.topics.closeFetches();
    await this.executor.drain(this.config.WORKER_DRAIN_TIMEOUT_MS);
    this.topics.closeConnections();
  }

  private discover(): WorkerDefinition[] {
    const decorated = this.discovery.getProviders({ metadataKey: ExternalTaskWorker.KEY }).flatMap((wrapper) => {
      const settings: WorkerSettings | undefined = this.discovery.getMetadataByDecorator(ExternalTaskWorker, wrapper);
      const handler = wrapper.instance as ExternalTaskHandler | undefined;
      return settings && handler ? [{ settings, handler }] : [];
    });
    const registered = this.discovery.getProviders().flatMap((wrapper) => (wrapper.instance instanceof RegisteredWorker ? [wrapper.instance] : []));
    const workers = [...decorated, ...registered].map(({ settings, handler }) => ({
      settings: resolveWorkerSettings(settings, this.config),
      handler,
    }));
    const topics = workers.map((worker) => worker.settings.topic);
    const repeated = topics.find((topic, index) => topics.indexOf(topic) !== index);
    if (repeated) throw new Error(`Two external-task workers are registered for topic '${repeated}'; a topic has one handler`);
    return workers;
  }
}
