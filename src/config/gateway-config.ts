import { plainToInstance, Transform } from 'class-transformer';
import { CronTime } from 'cron';
import { Role } from '../identity/caller.js';
import type { LogFormat } from '../logging/gateway-logger.js';
import { Optional } from '../problem/optional.js';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  Matches,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  validateSync,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ({ true: true, false: false, '1': true, '0': false }[value.trim().toLowerCase()] ?? value) : value;
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;
const toJson = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};
const CLAIM_PATH = /^[A-Za-z_][A-Za-z0-9_:-]*(\.[A-Za-z_][A-Za-z0-9_:-]*)*$/;
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const ROLES: string[] = Object.values(Role);

export interface ServiceAccount {
  workspaces: string[];
  roles: Role[];
}
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);
// Camunda's (and Operaton's) default resource id whitelist (the engine answers HTTP 500 for any other id); it also keeps
// out the engines' admin groups, camunda-admin and operaton-admin.
const ENGINE_ID = /^[a-zA-Z0-9]{1,64}$/;

/**
 * Every setting of the gateway, read from the environment once at boot. A value that fails validation
 * stops the process with a message naming the variable (see validateGatewayConfig).
 */
export enum GatewayRole {
  All = 'all',
  Api = 'api',
  Worker = 'worker',
}

export class GatewayConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  /** `json`: one JSON object per log line, for log collectors; `text`: readable lines for local development. */
  @IsIn(['json', 'text'])
  LOG_FORMAT: LogFormat = 'json';

  /**
   * `otlp` turns tracing on (OpenTelemetry, exported over OTLP/HTTP JSON); `none`, the default, leaves the SDK
   * unloaded. The standard variable, but off by default: an unset one must not send spans to a collector nobody runs.
   */
  @IsIn(['none', 'otlp'])
  OTEL_TRACES_EXPORTER: 'none' | 'otlp' = 'none';

  /** The collector's OTLP/HTTP base URL; spans go to `<endpoint>/v1/traces`, as the standard says. */
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  OTEL_EXPORTER_OTLP_ENDPOINT = 'http://localhost:4318';

  /** Only OTLP/HTTP JSON is shipped; another protocol asked for is refused rather than silently not used. */
  @IsIn(['http/json'])
  OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';

  @IsString()
  @MinLength(1)
  @MaxLength(255)
  OTEL_SERVICE_NAME = 'camunda-gateway';

  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/camunda_gateway';

  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  CAMUNDA_URL = 'http://localhost:8080/engine-rest';

  @IsString()
  @MinLength(1)
  CAMUNDA_USER = 'demo';

  @IsString()
  CAMUNDA_PASSWORD = 'demo';

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  CAMUNDA_TIMEOUT_MS = 10_000;

  @IsUrl({ protocols: ['amqp', 'amqps'], require_tld: false, require_protocol: true })
  RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @IsString()
  @MinLength(1)
  @MaxLength(255)
  EVENTS_EXCHANGE = 'camunda.events';

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  SYNC_INTERVAL_MS = 500;

  /**
   * How late a row may commit after its timestamp and still be found by the polls: one poll per overlap looks back
   * this far (the others one second), so such a row reaches the mirror at most this much later.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  SYNC_OVERLAP_MS = 5_000;

  /**
   * A fresh mirror imports every open instance; with this date (ISO 8601) it also imports the instances that
   * finished since then, so an old engine's closed tickets show too. Unset: open instances only.
   */
  @Optional()
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/, {
    message: 'SYNC_IMPORT_SINCE must be an ISO 8601 date, e.g. 2026-01-01 or 2026-01-01T00:00:00Z',
  })
  SYNC_IMPORT_SINCE: string | undefined = undefined;

  /** When the full reconcile runs (cron with seconds); every 5 minutes by default. */
  @IsCron()
  SYNC_RECONCILE_CRON = '0 */5 * * * *';

  /** First retry delay of an instance whose refresh failed; it doubles with every further failure. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  SYNC_PARKED_RETRY_MIN_MS = 10_000;

  /** The longest wait between two retries of a parked instance. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  SYNC_PARKED_RETRY_MAX_MS = 3_600_000;

  @IsString()
  @MinLength(1)
  BPMN_DIR = 'bpmn';

  @Transform(toBoolean)
  @IsBoolean()
  DEPLOY_ON_STARTUP = true;

  /** `all`: API and workers; `api`: no workers; `worker`: workers, health and metrics, no process API. */
  @IsIn(Object.values(GatewayRole))
  GATEWAY_ROLE: GatewayRole = GatewayRole.All;

  /** Off: no external-task worker runs in this process, whatever its role. */
  @Transform(toBoolean)
  @IsBoolean()
  WORKERS_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  WORKER_LOCK_DURATION_MS = 30_000;

  /** Long-polling wait of fetchAndLock; 0 disables long polling. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_800_000)
  WORKER_LONG_POLL_MS = 10_000;

  /** Most tasks fetched in one request, per topic. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000)
  WORKER_MAX_TASKS = 10;

  /** Pause between two fetches of a topic: short, because a fetch that finds nothing waits in the engine (long poll). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  WORKER_POLL_INTERVAL_MS = 50;

  /** Most tasks of one topic in hand at once, across polls, unless the topic's worker says otherwise. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  WORKER_MAX_IN_FLIGHT = 10;

  /** Tries of a failing task, the first included, before the incident (unless the topic's worker says otherwise). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WORKER_RETRY_ATTEMPTS = 3;

  /** The wait after the first failure; it doubles with each further one (with up to 20 % jitter) up to the maximum. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  WORKER_RETRY_INITIAL_DELAY_MS = 1_000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  WORKER_RETRY_MAX_DELAY_MS = 60_000;

  /** On shutdown, how long tasks in hand may take to finish; the rest are unlocked for another worker. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  WORKER_DRAIN_TIMEOUT_MS = 20_000;

  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(600_000)
  OUTBOX_RELAY_INTERVAL_MS = 500;

  /** Browser origins (scheme://host[:port], comma-separated) that may send commands besides the gateway's own. */
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(ORIGIN, { each: true, message: 'each entry must be an origin such as https://tickets.example.org' })
  ALLOWED_ORIGINS: string[] = [];

  /** How long the answer to a POST with an Idempotency-Key is kept for replays (default 24 h). */
  @Transform(toInt)
  @IsInt()
  @Min(60_000)
  @Max(30 * 24 * 3_600_000)
  IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;

  /** Users whose group memberships are cached for candidate-user task lists, and for how long. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  USER_GROUPS_CACHE_SIZE = 1_000;

  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  USER_GROUPS_CACHE_TTL_MS = 60_000;

  /** Multipart uploads (variable data, deployments) handled at once; more are refused with 503 and Retry-After. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000)
  MAX_CONCURRENT_UPLOADS = 4;

  /** Publish attempts the broker may refuse (nack, or a channel error on the message) before a row becomes a dead letter. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000)
  OUTBOX_MAX_ATTEMPTS = 10;

  /** How long the relay waits for the broker to confirm a batch before it drops the connection and retries. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  OUTBOX_CONFIRM_TIMEOUT_MS = 10_000;

  /** How long published rows stay in the outbox (for inspection) before the retention sweep deletes them. */
  @Transform(toInt)
  @IsInt()
  @Min(60_000)
  @Max(31_536_000_000)
  OUTBOX_RETENTION_MS = 604_800_000;

  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  OUTBOX_RETENTION_SWEEP_MS = 60_000;

  /** How long mirror rows of ended instances are kept (with their tasks, variables, incidents); 0 keeps them. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(315_360_000_000)
  MIRROR_RETENTION_MS = 0;

  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  MIRROR_RETENTION_SWEEP_MS = 3_600_000;

  /** How long audit entries are kept before the retention sweep deletes them; 400 days by default. */
  @Transform(toInt)
  @IsInt()
  @Min(86_400_000)
  @Max(315_360_000_000)
  AUDIT_RETENTION_MS = 34_560_000_000;

  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  AUDIT_RETENTION_SWEEP_MS = 3_600_000;

  /** Local experiments only: every request acts as an engine-wide admin. A warning is logged at every boot. */
  @Transform(toBoolean)
  @IsBoolean()
  AUTH_DISABLED = false;

  /** The OIDC issuer whose tokens are accepted (exactly the `iss` of its tokens). */
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  AUTH_ISSUER = 'http://localhost:8180/realms/camunda-gateway';

  /** Tokens must name this audience in `aud`. */
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  AUTH_AUDIENCE = 'camunda-gateway';

  /** Where the issuer's signing keys are; by default taken from the issuer's OpenID discovery document. */
  @Optional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  AUTH_JWKS_URI: string | undefined = undefined;

  /** Signature algorithms accepted; asymmetric ones only, so a key that verifies can never sign. */
  @Transform(toList)
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(ASYMMETRIC_ALGORITHMS, { each: true, message: `each entry must be one of ${ASYMMETRIC_ALGORITHMS.join(', ')}` })
  AUTH_ALGORITHMS: string[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];

  /** Clock difference tolerated on exp/nbf/iat, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_CLOCK_SKEW_S = 30;

  /** How often the signing keys are refetched in the background; an unknown `kid` refetches at once. */
  @Transform(toInt)
  @IsInt()
  @Min(10_000)
  @Max(86_400_000)
  AUTH_JWKS_REFRESH_MS = 600_000;

  /**
   * The shortest wait between two key fetches caused by an unknown `kid`: a rotated key is picked up within it,
   * and tokens with made-up kids cannot make the gateway fetch more often.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  AUTH_JWKS_COOLDOWN_MS = 1_000;

  /** Claims (dotted paths allowed, e.g. realm_access.roles) that carry who the caller is. */
  @Matches(CLAIM_PATH) AUTH_CLAIM_USER_ID = 'sub';
  @Matches(CLAIM_PATH) AUTH_CLAIM_USERNAME = 'preferred_username';
  @Matches(CLAIM_PATH) AUTH_CLAIM_NAME = 'name';
  @Matches(CLAIM_PATH) AUTH_CLAIM_EMAIL = 'email';
  @Matches(CLAIM_PATH) AUTH_CLAIM_ROLES = 'roles';
  @Matches(CLAIM_PATH) AUTH_CLAIM_WORKSPACES = 'workspaces';
  @Matches(CLAIM_PATH) AUTH_CLAIM_CLIENT_ID = 'azp';

  /**
   * Backend services calling with client-credentials tokens, by client id: {"ticket-service": {"workspaces":
   * ["acme"], "roles": ["requester"]}}. Their tokens' own role and workspace claims are ignored.
   */
  @Transform(toJson)
  @IsServiceAccounts()
  AUTH_SERVICE_ACCOUNTS: Record<string, ServiceAccount> = {};

  /** Whether /metrics answers without a token (for a Prometheus that scrapes without credentials). */
  @Transform(toBoolean)
  @IsBoolean()
  METRICS_PUBLIC = true;

  /** How long a provisioned caller is trusted before its Camunda user, groups and tenants are checked again. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  AUTH_PROVISION_REFRESH_MS = 300_000;

  /** Callers kept provisioned in memory; one past it is provisioned again on its next request. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTH_CALLER_CACHE_SIZE = 10_000;

  /** The Camunda group each role makes its holders members of (JSON object role → group id). */
  @Transform(toJson)
  @IsRoleGroups()
  AUTH_ROLE_GROUPS: Partial<Record<Role, string>> = {
    [Role.Requester]: 'requesters',
    [Role.Approver]: 'managers',
    [Role.Operator]: 'operators',
    [Role.Admin]: 'gatewayadmins',
  };
}

function IsRoleGroups(): PropertyDecorator {
  return ValidateBy({
    name: 'isRoleGroups',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.entries(value).every(([role, group]) => ROLES.includes(role) && typeof group === 'string' && ENGINE_ID.test(group)),
      defaultMessage: () =>
        `$property must be a JSON object from role (${ROLES.join(', ')}) to a Camunda group id of letters and digits; camunda-admin or operaton-admin is never one`,
    },
  });
}

function IsServiceAccounts(): PropertyDecorator {
  const isNameList = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string' && item.length > 0 && item.length <= 255);
  return ValidateBy({
    name: 'isServiceAccounts',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((account: unknown) => {
          const { workspaces, roles } = (account ?? {}) as Partial<ServiceAccount>;
          return isNameList(workspaces) && isNameList(roles) && (roles as string[]).every((role) => ROLES.includes(role));
        }),
      defaultMessage: () => `$property must be a JSON object of client id -> {"workspaces": [...], "roles": [${ROLES.join(' | ')}]}`,
    },
  });
}

function IsCron(): PropertyDecorator {
  return ValidateBy({
    name: 'isCron',
    validator: {
      validate: (value: unknown) => {
        try {
          return typeof value === 'string' && Boolean(new CronTime(value));
        } catch {
          return false;
        }
      },
      defaultMessage: () => '$property must be a cron expression such as "0 */5 * * * *"',
    },
  });
}

export function validateGatewayConfig(env: Record<string, unknown>): GatewayConfig {
  const known = Object.keys(new GatewayConfig());
  const relevant = Object.fromEntries(Object.entries(env).filter(([key, value]) => known.includes(key) && value !== ''));
  const config = plainToInstance(GatewayConfig, relevant);
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      // The value itself is left out: it may be a secret such as a password inside a URL.
      const reasons = Object.values(error.constraints ?? {}).join('; ');
      return `  ${error.property}: ${reasons}`;
    });
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
