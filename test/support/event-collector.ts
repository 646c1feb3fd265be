import { connect, type ChannelModel } from 'amqplib';
import type { EventMessage } from '../../src/events/event-types.js';
import { schemaViolations } from './event-schema.js';
import { testEnv } from './test-env.js';

export interface ReceivedEvent {
  messageId: string;
  routingKey: string;
  persistent: boolean;
  contentType: string | undefined;
  headers: Record<string, unknown>;
  body: EventMessage;
}

/** A downstream consumer: an exclusive queue bound to every routing key of the events exchange. */
export class EventCollector {
  readonly received: ReceivedEvent[] = [];
  private constructor(private readonly connection: ChannelModel) {}

  static async bind(exchange = testEnv.eventsExchange): Promise<EventCollector> {
    const connection = await connect(testEnv.rabbitmqUrl);
    const collector = new EventCollector(connection);
    const channel = await connection.createChannel();
    await channel.checkExchange(exchange);
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, '#');
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        collector.received.push({
          messageId: message.properties.messageId,
          routingKey: message.fields.routingKey,
          persistent: message.properties.deliveryMode === 2,
          contentType: message.properties.contentType,
          headers: message.properties.headers ?? {},
          body: JSON.parse(message.content.toString('utf8')),
        });
      },
      { noAck: true },
    );
    return collector;
  }

  /** Every received event that does not conform to docs/events.schema.json, with what is wrong. */
  schemaViolations(): { event: EventMessage; problems: string[] }[] {
    return this.received.map((event) => ({ event: event.body, problems: schemaViolations(event.body) })).filter((entry) => entry.problems.length > 0);
  }

  forInstance(processInstanceId: string): ReceivedEvent[] {
    return this.received.filter((event) => event.body.processInstanceId === processInstanceId);
  }

  typesFor(processInstanceId: string): string[] {
    return this.forInstance(processInstanceId).map((event) => event.routingKey);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
