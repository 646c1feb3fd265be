import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { engineRest } from '../test/support/engine-rest.js';
import { eventually } from '../test/support/eventually.js';
import { testEnv } from '../test/support/test-env.js';
import { ExternalTaskTopics } from '../src/camunda/external-task-topics.js';
import type { WorkerSettings } from '../src/workers/worker-api.js';
import type { EventConsumer, ReceivedMessage } from './event-consumer.js';
import { bootGateway } from './gateway-boot.js';
import { completionsByWorker } from './worker-models.js';

export const PUBLISH_TOPIC = 'gateway.publish';

export interface PublishRun {
  ms: number;
  /** Messages counted, when not all N (tasks another gateway took). */
  count?: number;
  note?: string;
  /** Mean body size of the messages counted, in bytes. */
  bodyBytes: number;
}

/**
 * The gateway's side: N instances already wait at a `gateway.publish` task; a gateway with workers boots, and the
 * clock runs from init() until the consumer has all N events. The messages it received are kept for the baseline.
 * The engine's log says who completed the tasks when the events stop short of N.
 */
export async function runGatewayPublish(options: {
  processKey: string;
  tasks: number;
  exchange: string;
  consumer: EventConsumer;
  stallMs: number;
  builtInSettings?: Partial<WorkerSettings>;
}): Promise<PublishRun & { initMs: number }> {
  const { processKey, tasks, exchange, consumer, stallMs, builtInSettings } = options;
  const arrived = consumer.expect(tasks, `gateway.publish events (${processKey})`);
  const gateway = await bootGateway({ WORKERS_ENABLED: 'true', EVENTS_EXCHANGE: exchange }, { ownProcessKeys: [processKey], builtInSettings });
  const workerId = gateway.app.get(ExternalTaskTopics).workerId;
  try {
    // On a shared engine another gateway may take some of the bench's gateway.publish tasks (its fetch has no
    // filter) and publish their events to its own exchange: then the run counts this gateway's share.
    const takenByOthers = await arrived.reached(stallMs).then(
      () => 0,
      async (error: Error) => {
        const byWorker = await completionsByWorker(processKey);
        const ours = byWorker[workerId] ?? 0;
        const others = Object.values(byWorker).reduce((sum, count) => sum + count, 0) - ours;
        if (others === 0 || ours + others < tasks || arrived.count < ours)
          throw new Error(`${error.message}; completed by worker: ${JSON.stringify(byWorker)} (this gateway is ${workerId})`);
        return others;
      },
    );
    const ms = (takenByOthers === 0 ? arrived.doneAt! : arrived.lastAt!) - gateway.initStartedAt;
    // Ground truth beside the events: the engine ended every instance, so each task was completed as well.
    await eventually(
      async () => {
        const { count } = await engineRest<{ count: number }>('GET', `/process-instance/count?processDefinitionKey=${processKey}`);
        if (count > 0) throw new Error(`${count} instances of ${processKey} still running`);
      },
      stallMs,
      50,
    );
    const note = takenByOthers > 0 ? `${takenByOthers} of the ${tasks} tasks were taken by another gateway on this engine and are left out` : undefined;
    return { ms, count: arrived.count, note, bodyBytes: meanBodyBytes(consumer.received), initMs: gateway.initMs };
  } finally {
    await gateway.app.close();
  }
}

/**
 * Baseline: raw amqplib on a confirm channel, the same N messages (the gateway's own, or `fallbackBody` when the
 * gateway side produced none) to the same exchange, all published and confirmed, counted by the same consumer.
 */
export async function runRawPublish(options: {
  routingKey: string;
  tasks: number;
  exchange: string;
  consumer: EventConsumer;
  gatewayMessages: ReceivedMessage[];
  fallbackBody: (index: number) => Buffer;
  stallMs: number;
}): Promise<PublishRun & { confirmedMs: number }> {
  const { routingKey, tasks, exchange, consumer, stallMs } = options;
  const messages: ReceivedMessage[] =
    options.gatewayMessages.length > 0
      ? Array.from({ length: tasks }, (_, index) => options.gatewayMessages[index % options.gatewayMessages.length]).map((message) => ({
          content: message.content,
          options: { ...message.options, messageId: randomUUID() },
        }))
      : Array.from({ length: tasks }, (_, index) => ({
          content: options.fallbackBody(index),
          options: { messageId: randomUUID(), contentType: 'application/json', contentEncoding: 'utf-8', persistent: true, appId: 'bench' },
        }));
  const connection = await connect(testEnv.rabbitmqUrl);
  try {
    const channel = await connection.createConfirmChannel();
    const arrived = consumer.expect(tasks, 'raw amqplib messages');
    const startedAt = performance.now();
    for (const message of messages) {
      // Respects the channel's back-pressure, as any real publisher has to.
      if (!channel.publish(exchange, routingKey, message.content, message.options)) await new Promise((resolve) => channel.once('drain', resolve));
    }
    await channel.waitForConfirms();
    const confirmedMs = performance.now() - startedAt;
    await arrived.reached(stallMs);
    return { ms: Math.max(arrived.doneAt!, startedAt + confirmedMs) - startedAt, confirmedMs, bodyBytes: meanBodyBytes(consumer.received) };
  } finally {
    await connection.close();
  }
}

function meanBodyBytes(messages: ReceivedMessage[]): number {
  return messages.length === 0 ? 0 : messages.reduce((sum, message) => sum + message.content.length, 0) / messages.length;
}
