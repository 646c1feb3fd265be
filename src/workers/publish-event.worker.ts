import { Injectable } from '@nestjs/common';
import { ExternalTaskWorker, NonRetryableError, type ExternalTaskHandler, type ExternalTaskJob, type WorkerResult } from './worker-api.js';
import { stableUuid } from './stable-id.js';

export const PUBLISH_TOPIC = 'gateway.publish';
// A routing-key suffix: dot-separated words, no AMQP wildcards.
const EVENT_TYPE = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$/i;
// The outbox holds 64 characters of type, `model.` included.
const MAX_EVENT_TYPE_LENGTH = 58;
const MAX_PAYLOAD_BYTES = 256 * 1024;

/**
 * The built-in topic a modeler uses to publish an event without code: input variables `eventType` (routing key
 * `model.<eventType>`) and `payload` (a Json object). The event goes through the outbox in order with the
 * instance's other events, under an id derived from the external task's, so a redelivered task never publishes twice.
 */
@ExternalTaskWorker({ topic: PUBLISH_TOPIC, variables: ['eventType', 'payload'] })
@Injectable()
export class PublishEventWorker implements ExternalTaskHandler {
  handle(job: ExternalTaskJob): Promise<WorkerResult> {
    const { eventType, payload = {} } = job.variables;
    if (typeof eventType !== 'string' || eventType.length > MAX_EVENT_TYPE_LENGTH || !EVENT_TYPE.test(eventType)) {
      throw new NonRetryableError(
        `${PUBLISH_TOPIC} needs an input variable eventType of dot-separated words (letters, digits, "_", "-"), at most ${MAX_EVENT_TYPE_LENGTH} characters`,
      );
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new NonRetryableError(`${PUBLISH_TOPIC} needs an input variable payload that is a Json object`);
    }
    if (Buffer.byteLength(JSON.stringify(payload)) > MAX_PAYLOAD_BYTES) {
      throw new NonRetryableError(`${PUBLISH_TOPIC} payload is larger than ${MAX_PAYLOAD_BYTES / 1024} KiB`);
    }
    return Promise.resolve({
      events: [{ id: stableUuid(`${PUBLISH_TOPIC}:${job.id}`), type: `model.${eventType}`, data: payload as Record<string, unknown> }],
    });
  }
}
