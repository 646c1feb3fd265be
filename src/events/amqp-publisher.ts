import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { GatewayConfig } from '../config/gateway-config.js';
import { redactUrl } from '../config/redact-url.js';

export interface OutgoingMessage {
  id: string;
  routingKey: string;
  body: Buffer;
  occurredAt: Date;
}

/**
 * The gateway's only AMQP connection. Connects lazily, declares the topology, and publishes on a confirm
 * channel; after any broker failure the next publish reconnects.
 */
@Injectable()
export class AmqpPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(AmqpPublisher.name);
  private connection: ChannelModel | null = null;
  private channel: ConfirmChannel | null = null;
  private connecting: Promise<ConfirmChannel> | null = null;

  constructor(private readonly config: GatewayConfig) {}

  get unroutedExchange(): string {
    return `${this.config.EVENTS_EXCHANGE}.unrouted`;
  }

  isConnected(): boolean {
    return this.channel !== null;
  }

  /** Publishes the batch in order and resolves only when the broker has confirmed every message. */
  async publishConfirmed(messages: OutgoingMessage[]): Promise<void> {
    const channel = await this.ensureChannel();
    for (const message of messages) {
      const accepted = channel.publish(this.config.EVENTS_EXCHANGE, message.routingKey, message.body, {
        messageId: message.id,
        type: message.routingKey,
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        persistent: true,
        timestamp: Math.floor(message.occurredAt.getTime() / 1000),
        appId: 'camunda-gateway',
      });
      if (!accepted) await new Promise((resolve) => channel.once('drain', resolve));
    }
    await channel.waitForConfirms();
  }

  /** Makes sure the exchanges exist; called at boot so consumers can bind before the first event. */
  async ensureTopology(): Promise<void> {
    await this.ensureChannel();
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = this.connection;
    this.reset();
    await connection?.close().catch(() => undefined);
  }

  private async ensureChannel(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<ConfirmChannel> {
    const connection = await connect(this.config.RABBITMQ_URL, { timeout: 5_000 });
    try {
      connection.on('error', (error: Error) => this.logger.warn(`RabbitMQ connection error: ${error.message}`));
      connection.on('close', () => this.reset());
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) => this.logger.warn(`RabbitMQ channel error: ${error.message}`));
      channel.on('close', () => this.reset());
      // Messages no queue is bound for land in the unrouted queue instead of vanishing.
      await channel.assertExchange(this.unroutedExchange, 'fanout', { durable: true });
      await channel.assertQueue(this.unroutedExchange, { durable: true });
      await channel.bindQueue(this.unroutedExchange, this.unroutedExchange, '');
      await channel.assertExchange(this.config.EVENTS_EXCHANGE, 'topic', {
        durable: true,
        alternateExchange: this.unroutedExchange,
      });
      this.connection = connection;
      this.channel = channel;
      this.logger.log(`Connected to RabbitMQ at ${redactUrl(this.config.RABBITMQ_URL)}`);
      return channel;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  private reset(): void {
    this.channel = null;
    this.connection = null;
  }
}
