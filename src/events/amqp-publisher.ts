import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { context, propagation, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { hostname } from 'node:os';
import { GatewayConfig } from '../config/gateway-config.js';
import { redactUrl } from '../config/redact-url.js';

export interface OutgoingMessage {
  id: string;
  routingKey: string;
  body: Buffer;
  occurredAt: Date;
  /** Also the trace carrier: traceparent and tracestate of the request that caused the event, when one did. */
  headers: Record<string, string>;
}

/**
 * What the broker said about one message of a batch: `confirmed`; `rejected` when the broker refused this very
 * message (a nack, or the channel error it caused), which counts against it; `unconfirmed` when an earlier
 * message's failure ended the batch before this one was settled, which says nothing about this message.
 */
export type PublishOutcome = { status: 'confirmed' } | { status: 'rejected'; reason: string } | { status: 'unconfirmed' };

/** The broker as a whole cannot take messages now (connection lost, no confirm in time); no message is to blame. */
export class BrokerUnavailableError extends Error {
  override readonly name = 'BrokerUnavailableError';
}

/** amqplib would not even send this message (it throws while encoding it): the message is to blame, not the broker. */
class UnsendableMessageError extends Error {}

/** One connection and its confirm channel; a failure of either ends both. */
interface BrokerSession {
  connection: ChannelModel;
  channel: ConfirmChannel;
  /** Set when the broker closed the channel because of something published on it (404 exchange, 406 too large). */
  channelError: Error | null;
  closed: Promise<void>;
  isClosed: boolean;
}

// amqplib's text for a confirm callback of a nacked message.
const NACKED = 'message nacked';
const CLOSE_GRACE_MS = 1_000;

/**
 * The gateway's only AMQP connection. Connects lazily, declares the topology, and publishes on a confirm
 * channel; after any broker failure the connection is closed and the next publish opens a new one.
 */
@Injectable()
export class AmqpPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(AmqpPublisher.name);
  private session: BrokerSession | null = null;
  private connecting: Promise<BrokerSession> | null = null;

  constructor(private readonly config: GatewayConfig) {}

  get unroutedExchange(): string {
    return `${this.config.EVENTS_EXCHANGE}.unrouted`;
  }

  /** Shown in the broker's connection list, so an operator can tell which process holds which connection. */
  get connectionName(): string {
    return `camunda-gateway ${hostname()} pid ${process.pid}`;
  }

  isConnected(): boolean {
    return this.session !== null;
  }

  /**
   * Publishes the batch in order and settles every message: one outcome per message, in the same order.
   * Throws BrokerUnavailableError when the connection is lost or the broker does not confirm within
   * OUTBOX_CONFIRM_TIMEOUT_MS; the connection is then closed, so a late confirm cannot be misread.
   */
  async publishConfirmed(messages: OutgoingMessage[]): Promise<PublishOutcome[]> {
    const session = await this.ensureSession();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.config.OUTBOX_CONFIRM_TIMEOUT_MS)));
    try {
      const settled = await Promise.race([this.publishAll(session, messages), timedOut]);
      if (settled === 'timeout') {
        void this.dispose(session);
        throw new BrokerUnavailableError(`RabbitMQ did not confirm ${messages.length} message(s) within ${this.config.OUTBOX_CONFIRM_TIMEOUT_MS} ms`);
      }
      return this.outcomes(session, settled);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Makes sure the exchanges exist; called at boot so consumers can bind before the first event. */
  async ensureTopology(): Promise<void> {
    await this.ensureSession();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.session) await this.dispose(this.session);
  }

  /** Resolves with each message's confirm error (null when confirmed), once all are settled. */
  private async publishAll(session: BrokerSession, messages: OutgoingMessage[]): Promise<(Error | null)[]> {
    const confirms: Promise<Error | null>[] = [];
    for (const message of messages) {
      if (session.isClosed) {
        confirms.push(Promise.resolve(new Error('channel closed')));
        continue;
      }
      const { confirm, accepted } = this.publishOne(session, message);
      confirms.push(confirm);
      if (!accepted) await Promise.race([new Promise((resolve) => session.channel.once('drain', resolve)), session.closed]);
    }
    return Promise.all(confirms);
  }

  private publishOne(session: BrokerSession, message: OutgoingMessage): { confirm: Promise<Error | null>; accepted: boolean } {
    let settle!: (error: Error | null) => void;
    const confirm = new Promise<Error | null>((resolve) => (settle = resolve));
    const options = {
      messageId: message.id,
      type: message.routingKey,
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      persistent: true,
      timestamp: Math.floor(message.occurredAt.getTime() / 1000),
      appId: 'camunda-gateway',
      headers: message.headers,
    };
    try {
      const accepted = context.with(publishContext(message.headers), () =>
        session.channel.publish(this.config.EVENTS_EXCHANGE, message.routingKey, message.body, options, (error: Error | null | undefined) =>
          settle(error ?? null),
        ),
      );
      return { confirm, accepted };
    } catch (error) {
      settle(session.isClosed ? new Error('channel closed') : new UnsendableMessageError((error as Error).message));
      return { confirm, accepted: true };
    }
  }

  private outcomes(session: BrokerSession, errors: (Error | null)[]): PublishOutcome[] {
    const lost = errors.some((error) => error !== null && error.message !== NACKED && !(error instanceof UnsendableMessageError));
    if (lost && !session.channelError) throw new BrokerUnavailableError('RabbitMQ connection closed before it confirmed the batch');
    // The broker handles a channel's messages in order: the first one it did not confirm is the one it closed the channel on.
    let blamed = false;
    return errors.map((error): PublishOutcome => {
      if (error === null) return { status: 'confirmed' };
      if (error instanceof UnsendableMessageError) return { status: 'rejected', reason: `not sendable: ${error.message}` };
      if (error.message === NACKED)
        return { status: 'rejected', reason: 'RabbitMQ refused the message (nack: a queue it routes to refuses it, e.g. full with x-overflow reject-publish)' };
      if (blamed) return { status: 'unconfirmed' };
      blamed = true;
      return { status: 'rejected', reason: session.channelError!.message };
    });
  }

  private ensureSession(): Promise<BrokerSession> {
    if (this.session) return Promise.resolve(this.session);
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<BrokerSession> {
    const connection = await connect(this.config.RABBITMQ_URL, { timeout: 5_000, clientProperties: { connection_name: this.connectionName } });
    try {
      connection.on('error', (error: Error) => this.logger.warn(`RabbitMQ connection error: ${error.message}`));
      const channel = await connection.createConfirmChannel();
      let markClosed!: () => void;
      const session: BrokerSession = { connection, channel, channelError: null, closed: new Promise((resolve) => (markClosed = resolve)), isClosed: false };
      const end = () => {
        if (session.isClosed) return;
        session.isClosed = true;
        markClosed();
        void this.dispose(session);
      };
      channel.on('error', (error: Error) => {
        session.channelError = error;
        this.logger.warn(`RabbitMQ channel error: ${error.message}`);
      });
      // A channel the broker closed leaves its connection open: close it too, or every channel error leaks one.
      channel.on('close', end);
      connection.on('close', end);
      // Messages no queue is bound for land in the unrouted queue instead of vanishing.
      await channel.assertExchange(this.unroutedExchange, 'fanout', { durable: true });
      await channel.assertQueue(this.unroutedExchange, { durable: true });
      await channel.bindQueue(this.unroutedExchange, this.unroutedExchange, '');
      await channel.assertExchange(this.config.EVENTS_EXCHANGE, 'topic', {
        durable: true,
        alternateExchange: this.unroutedExchange,
      });
      if (session.isClosed) throw new BrokerUnavailableError('RabbitMQ closed the connection while the topology was declared');
      this.session = session;
      this.logger.log(`Connected to RabbitMQ at ${redactUrl(this.config.RABBITMQ_URL)}`);
      return session;
    } catch (error) {
      await this.closeConnection(connection);
      throw error;
    }
  }

  private async dispose(session: BrokerSession): Promise<void> {
    if (this.session === session) this.session = null;
    await this.closeConnection(session.connection);
  }

  /** A broker that stopped answering never acknowledges the close either: after a grace period the socket is dropped. */
  private async closeConnection(connection: ChannelModel): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const closed = connection.close().then(
      () => true,
      () => true,
    );
    const graceOver = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS)));
    const answered = await Promise.race([closed, graceOver]);
    clearTimeout(timer);
    if (!answered) (connection.connection as unknown as { stream?: { destroy(): void } }).stream?.destroy();
  }
}

/**
 * The trace a message's publish belongs to: the one its headers carry (the request that caused the event), so the
 * amqplib instrumentation's publish span is a child of that request and the traceparent it writes over the stored one
 * is still that request's trace. An event no traced request caused (the poll's, the import's) publishes untraced, as
 * before, rather than as a trace of its own per event; without an SDK all of this is a no-op and the headers go out
 * as stored.
 */
function publishContext(headers: Record<string, string>): Context {
  const caused = propagation.extract(ROOT_CONTEXT, headers);
  return trace.getSpanContext(caused) ? caused : suppressTracing(ROOT_CONTEXT);
}
