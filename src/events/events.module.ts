import { Module } from '@nestjs/common';
import { AmqpPublisher } from './amqp-publisher.js';
import { DeadLettersController } from './dead-letters.controller.js';
import { EventCauses } from './event-causes.js';
import { HeldEvents } from './held-events.js';
import { OutboxDeadLetters } from './outbox-dead-letters.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxRetention } from './outbox-retention.js';
import { OutboxStore } from './outbox-store.js';
import { OutboxWriter } from './outbox-writer.js';

/** The outbox, its relay to RabbitMQ, its dead letters and retention: the only code that speaks AMQP. */
@Module({
  controllers: [DeadLettersController],
  providers: [AmqpPublisher, EventCauses, HeldEvents, OutboxWriter, OutboxStore, OutboxRelay, OutboxDeadLetters, OutboxRetention],
  exports: [OutboxWriter, OutboxRelay, HeldEvents, EventCauses],
})
export class EventsModule {}
