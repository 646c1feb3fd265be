import { validateGatewayConfig } from './gateway-config.js';

describe('validateGatewayConfig', () => {
  it('defaults to the local services', () => {
    const config = validateGatewayConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/camunda_gateway',
      CAMUNDA_URL: 'http://localhost:8080/engine-rest',
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
      EVENTS_EXCHANGE: 'camunda.events',
      WORKERS_ENABLED: true,
    });
  });

  it('converts strings from the environment', () => {
    expect(validateGatewayConfig({ PORT: '8081', WORKERS_ENABLED: 'false', SYNC_INTERVAL_MS: '750' })).toMatchObject({
      PORT: 8081,
      WORKERS_ENABLED: false,
      SYNC_INTERVAL_MS: 750,
    });
  });

  it('logs JSON unless LOG_FORMAT says text', () => {
    expect(validateGatewayConfig({}).LOG_FORMAT).toBe('json');
    expect(validateGatewayConfig({ LOG_FORMAT: 'text' }).LOG_FORMAT).toBe('text');
    expect(() => validateGatewayConfig({ LOG_FORMAT: 'xml' })).toThrow('LOG_FORMAT');
  });

  it('traces only when OTEL_TRACES_EXPORTER says otlp, to an OTLP/HTTP JSON endpoint', () => {
    expect(validateGatewayConfig({})).toMatchObject({ OTEL_TRACES_EXPORTER: 'none', OTEL_SERVICE_NAME: 'camunda-gateway' });
    expect(
      validateGatewayConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'gw-eu' }),
    ).toMatchObject({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'gw-eu' });
    expect(() => validateGatewayConfig({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow('OTEL_TRACES_EXPORTER');
    expect(() => validateGatewayConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(() => validateGatewayConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow('OTEL_EXPORTER_OTLP_PROTOCOL');
  });

  it('names every bad variable', () => {
    expect(() => validateGatewayConfig({ PORT: 'eighty', CAMUNDA_URL: 'not a url', WORKERS_ENABLED: 'maybe' })).toThrow(
      /PORT[\s\S]*CAMUNDA_URL[\s\S]*WORKERS_ENABLED/,
    );
  });

  it('bounds the idempotency, upload and user-group cache settings', () => {
    expect(validateGatewayConfig({})).toMatchObject({
      IDEMPOTENCY_KEY_TTL_MS: 86_400_000,
      MAX_CONCURRENT_UPLOADS: 4,
      USER_GROUPS_CACHE_SIZE: 1_000,
      USER_GROUPS_CACHE_TTL_MS: 60_000,
    });
    const bad = { IDEMPOTENCY_KEY_TTL_MS: '1000', MAX_CONCURRENT_UPLOADS: '0', USER_GROUPS_CACHE_SIZE: '0', USER_GROUPS_CACHE_TTL_MS: '99999999' };
    for (const [name, value] of Object.entries(bad)) expect(() => validateGatewayConfig({ [name]: value })).toThrow(name);
  });

  it('bounds the outbox relay settings', () => {
    expect(validateGatewayConfig({})).toMatchObject({ OUTBOX_MAX_ATTEMPTS: 10, OUTBOX_CONFIRM_TIMEOUT_MS: 10_000, OUTBOX_RETENTION_MS: 604_800_000 });
    expect(() =>
      validateGatewayConfig({ OUTBOX_MAX_ATTEMPTS: '0', OUTBOX_CONFIRM_TIMEOUT_MS: '10', OUTBOX_RETENTION_MS: '1000', OUTBOX_RETENTION_SWEEP_MS: '1.5' }),
    ).toThrow(/OUTBOX_MAX_ATTEMPTS[\s\S]*OUTBOX_CONFIRM_TIMEOUT_MS[\s\S]*OUTBOX_RETENTION_MS[\s\S]*OUTBOX_RETENTION_SWEEP_MS/);
  });

  it('maps roles to Camunda groups from JSON, and never to an engine admin group (camunda-admin, operaton-admin)', () => {
    expect(validateGatewayConfig({}).AUTH_ROLE_GROUPS).toEqual({
      requester: 'requesters',
      approver: 'managers',
      operator: 'operators',
      admin: 'gatewayadmins',
    });
    expect(validateGatewayConfig({ AUTH_ROLE_GROUPS: '{"approver":"approvers"}' }).AUTH_ROLE_GROUPS).toEqual({ approver: 'approvers' });
    for (const bad of [
      '{"admin":"camunda-admin"}',
      '{"admin":"operaton-admin"}',
      '{"superuser":"x"}',
      '{"approver":"man agers"}',
      '["managers"]',
      'managers',
      '{"approver":7}',
    ]) {
      expect(() => validateGatewayConfig({ AUTH_ROLE_GROUPS: bad })).toThrow('AUTH_ROLE_GROUPS');
    }
  });

  it('never echoes a value, which may be a secret', () => {
    const secret = 'amqp://user:s3cr3t@host:99999999';
    let message = '';
    try {
      validateGatewayConfig({ RABBITMQ_URL: secret, SYNC_INTERVAL_MS: '1' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/SYNC_INTERVAL_MS/);
    expect(message).not.toContain('s3cr3t');
  });
});

describe('validateGatewayConfig: authentication', () => {
  it('reads an explicit JWKS URI and service accounts', () => {
    const config = validateGatewayConfig({
      AUTH_JWKS_URI: 'https://idp.example/keys',
      AUTH_SERVICE_ACCOUNTS: '{"svc":{"workspaces":["acme"],"roles":["operator"]}}',
    });
    expect(config.AUTH_JWKS_URI).toBe('https://idp.example/keys');
    expect(config.AUTH_SERVICE_ACCOUNTS).toEqual({ svc: { workspaces: ['acme'], roles: ['operator'] } });
  });

  it.each([
    ['AUTH_ALGORITHMS', 'HS256'],
    ['AUTH_ALGORITHMS', 'none'],
    ['AUTH_SERVICE_ACCOUNTS', '{"svc":{"workspaces":["acme"],"roles":["root"]}}'],
    ['AUTH_SERVICE_ACCOUNTS', 'not json'],
    ['AUTH_CLAIM_ROLES', 'a..b'],
    ['AUTH_ISSUER', 'not a url'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => validateGatewayConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
