/** The stack the e2e tests talk to: local services by default, overridable from the environment. */
export const testEnv = {
  get databaseUrl(): string {
    return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/camunda_gateway_test';
  },
  get rabbitmqUrl(): string {
    return process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  },
  get camundaUrl(): string {
    return process.env.CAMUNDA_URL ?? 'http://localhost:8080/engine-rest';
  },
  get camundaUser(): string {
    return process.env.CAMUNDA_USER ?? 'demo';
  },
  get camundaPassword(): string {
    return process.env.CAMUNDA_PASSWORD ?? 'demo';
  },
  /** Every gateway on a broker publishes every engine change; a run of its own keeps other runs' copies out of the consumers. */
  get eventsExchange(): string {
    return process.env.TEST_EVENTS_EXCHANGE ?? 'camunda.events';
  },
};
