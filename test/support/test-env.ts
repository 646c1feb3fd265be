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
  get keycloakUrl(): string {
    return process.env.KEYCLOAK_URL ?? 'http://localhost:8180';
  },
  get keycloakRealm(): string {
    return process.env.KEYCLOAK_REALM ?? 'camunda-gateway';
  },
  /** The dev Keycloak's bootstrap admin in the master realm (scripts/lib.sh keycloak_start). */
  get keycloakAdminUser(): string {
    return process.env.KEYCLOAK_ADMIN_USER ?? 'admin';
  },
  get keycloakAdminPassword(): string {
    return process.env.KEYCLOAK_ADMIN_PASSWORD ?? 'admin';
  },
  /** This run's own exchange (set by the global setup): other gateways on the same broker never reach its consumers. */
  get eventsExchange(): string {
    return process.env.TEST_EVENTS_EXCHANGE ?? 'camunda.events';
  },
};
