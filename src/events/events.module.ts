import { Module } from '@nestjs/common';
import { AmqpPublisher } from './amqp-publisher.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxWriter } from './outbox-writer.js';

/** The outbox and its relay to RabbitMQ: the only code that speaks AMQP. */
@Module({
  providers: [AmqpPublisher, OutboxWriter, OutboxRelay],
  exports: [OutboxWriter, OutboxRelay],
})
export class EventsModule {}
