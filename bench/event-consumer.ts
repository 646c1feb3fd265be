import { connect, type ChannelModel, type ConsumeMessage, type Options } from 'amqplib';
import { testEnv } from '../test/support/test-env.js';
import { CompletionCounter } from './completion-counter.js';

/** A message as it arrived: its body and the properties a publisher would set to send it again. */
export interface ReceivedMessage {
  content: Buffer;
  options: Options.Publish;
}

/**
 * One consumer on a fresh exclusive queue bound to `routingKey` of `exchange`, for both sides of the publish
 * benchmark. Each side gets its own counter; a message id seen twice (at-least-once redelivery) counts once.
 */
export class EventConsumer {
  received: ReceivedMessage[] = [];
  private counter: CompletionCounter | null = null;
  private seenIds = new Set<string>();

  private constructor(private readonly connection: ChannelModel) {}

  static async bind(exchange: string, routingKey: string): Promise<EventConsumer> {
    const connection = await connect(testEnv.rabbitmqUrl);
    const consumer = new EventConsumer(connection);
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, routingKey);
    await channel.consume(queue, (message) => message && consumer.take(message), { noAck: true });
    return consumer;
  }

  /** Counts what arrives from now on towards `target`; `received` starts empty. */
  expect(target: number, what: string): CompletionCounter {
    this.counter = new CompletionCounter(target, what);
    this.received = [];
    this.seenIds.clear();
    return this.counter;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private take(message: ConsumeMessage): void {
    const id = message.properties.messageId as string | undefined;
    if (id !== undefined) {
      if (this.seenIds.has(id)) return;
      this.seenIds.add(id);
    }
    const { messageId, type, contentType, contentEncoding, deliveryMode, timestamp, appId, headers } = message.properties;
    this.received.push({
      content: message.content,
      options: { messageId, type, contentType, contentEncoding, persistent: deliveryMode === 2, timestamp, appId, headers },
    });
    this.counter?.add();
  }
}
