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

/** An event about one process instance, before the outbox gives it an id. */
export interface InstanceEvent {
  type: EventType;
  occurredAt: Date;
  processInstanceId: string;
  businessKey: string | null;
  processDefinitionKey: string;
  sequence: number;
  data: Record<string, unknown>;
}

/** The JSON body of every message on the exchange. */
export interface EventMessage {
  id: string;
  type: EventType;
  time: string;
  sequence: number;
  processInstanceId: string;
  businessKey: string | null;
  processDefinitionKey: string;
  data: Record<string, unknown>;
}
