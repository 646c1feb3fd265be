/** Routing keys of everything the gateway publishes; docs/events.md describes each payload. */
export enum EventType {
  ProcessStarted = 'process.started',
  ProcessCompleted = 'process.completed',
  ProcessTerminated = 'process.terminated',
  ProcessSuspended = 'process.suspended',
  ProcessActivated = 'process.activated',
  ProcessRestored = 'process.restored',
  TaskCreated = 'task.created',
  TaskAssigned = 'task.assigned',
  TaskCompleted = 'task.completed',
  TaskDeleted = 'task.deleted',
  IncidentCreated = 'incident.created',
  IncidentResolved = 'incident.resolved',
  TicketProcessed = 'ticket.processed',
}

/** What a model publishes through the built-in `gateway.publish` topic: `model.` and the task's `eventType`. */
export type ModelEventType = `model.${string}`;

/** Every routing key the gateway publishes. */
export type PublishedEventType = EventType | ModelEventType;

/** Who made a change through the gateway: the caller of the command whose refresh produced the event. */
export interface EventActor {
  camundaUserId: string;
  localId: string;
  kind: 'user' | 'service';
}

/**
 * The request behind an event: the gateway request whose command caused the change, and the W3C trace context it ran
 * in (traceparent, tracestate), so a consumer continues the trace. None for changes the sync found on its own.
 */
export interface EventCause {
  /** The request's X-Request-Id; null when no request caused it (an external-task handler's events). */
  requestId: string | null;
  /** The trace carrier (`propagation.inject`); absent when no tracing SDK is registered. */
  traceContext?: Record<string, string>;
}

/** An event about one process instance, before the outbox gives it an id. */
export interface InstanceEvent {
  /** Given when the event must be idempotent (a redelivered external task); otherwise the outbox makes one. */
  id?: string;
  type: PublishedEventType;
  /** Held from publication this long (on the database's clock) unless released or discarded earlier. */
  holdMs?: number;
  /** The attempt at an external task that holds it (see HeldBy1765300000000). */
  heldBy?: string;
  occurredAt: Date;
  processInstanceId: string;
  businessKey: string | null;
  processDefinitionKey: string;
  tenantId: string | null;
  /** Null for changes the sync saw without a gateway command behind them. */
  actor: EventActor | null;
  /** Null like actor, and for events the sync found without a gateway request behind them. */
  cause: EventCause | null;
  sequence: number;
  data: Record<string, unknown>;
}

/** The JSON body of every message on the exchange. */
export interface EventMessage {
  id: string;
  type: PublishedEventType;
  time: string;
  sequence: number;
  processInstanceId: string;
  businessKey: string | null;
  processDefinitionKey: string;
  tenantId: string | null;
  actor: EventActor | null;
  /** The X-Request-Id of the request that caused the change; null for changes made elsewhere (Cockpit, a job). */
  requestId: string | null;
  data: Record<string, unknown>;
}
