import { connect } from 'amqplib';
import type { Task } from 'camunda-external-task-client-js';
import { randomUUID } from 'node:crypto';
import { testEnv } from '../test/support/test-env.js';
import { runBareWorker, type WorkerBounds } from './bare-worker.js';
import type { EventConsumer } from './event-consumer.js';
import type { PublishRun } from './publish-bench.js';

/**
 * The hand-written equivalent of gateway.publish: camunda-external-task-client-js fetches the task with its two
 * variables, the handler confirm-publishes the same envelope the gateway sends (its fields, its AMQP properties),
 * then completes the task. No outbox, no mirror: what the gateway adds on top of this is what the ratio shows.
 */
export async function runBarePublishWorker(options: {
  topic: string;
  tasks: number;
  bounds: WorkerBounds;
  exchange: string;
  consumer: EventConsumer;
}): Promise<PublishRun> {
  const { topic, tasks, bounds, exchange, consumer } = options;
  const connection = await connect(testEnv.rabbitmqUrl);
  try {
    const channel = await connection.createConfirmChannel();
    const arrived = consumer.expect(tasks, `bare worker + amqplib messages (${topic})`);
    const publish = (task: Task) => {
      const { eventType, payload } = task.variables.getAllTyped();
      const routingKey = `model.${eventType.value as string}`;
      const data = typeof payload.value === 'string' ? JSON.parse(payload.value) : payload.value;
      const id = randomUUID();
      const occurredAt = new Date();
      // Sequence 2: at the gateway this is the instance's second event, after process.started.
      const body = Buffer.from(
        JSON.stringify({
          id,
          type: routingKey,
          time: occurredAt.toISOString(),
          sequence: 2,
          processInstanceId: task.processInstanceId,
          businessKey: task.businessKey,
          processDefinitionKey: task.processDefinitionKey,
          tenantId: task.tenantId,
          actor: null,
          data,
        }),
      );
      const properties = {
        messageId: id,
        type: routingKey,
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        persistent: true,
        timestamp: Math.floor(occurredAt.getTime() / 1000),
        appId: 'camunda-gateway',
        headers: {},
      };
      return new Promise<void>((resolve, reject) => channel.publish(exchange, routingKey, body, properties, (error) => (error ? reject(error) : resolve())));
    };
    const run = await runBareWorker(topic, tasks, bounds, { variables: ['eventType', 'payload'], beforeComplete: publish });
    await arrived.reached(bounds.stallMs);
    const doneAt = Math.max(run.startedAt + run.ms, arrived.doneAt!);
    const bodyBytes = consumer.received.reduce((sum, message) => sum + message.content.length, 0) / consumer.received.length;
    return { ms: doneAt - run.startedAt, bodyBytes };
  } finally {
    await connection.close();
  }
}
