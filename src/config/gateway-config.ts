import { plainToInstance, Transform } from 'class-transformer';
import { CronTime } from 'cron';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, Matches, IsString, IsUrl, Max, MaxLength, Min, MinLength, ValidateBy, validateSync } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? { true: true, false: false, '1': true, '0': false }[value.trim().toLowerCase()] ?? value : value;
const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value);
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);

/**
 * Every setting of the gateway, read from the environment once at boot. A value that fails validation
 * stops the process with a message naming the variable (see validateGatewayConfig).
 */
export class GatewayConfig {
  @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  PORT = 3000;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/camunda_gateway';

  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  CAMUNDA_URL = 'http://localhost:8080/engine-rest';

  @IsString() @MinLength(1)
  CAMUNDA_USER = 'demo';

  @IsString()
  CAMUNDA_PASSWORD = 'demo';

  @Transform(toInt) @IsInt() @Min(100) @Max(120_000)
  CAMUNDA_TIMEOUT_MS = 10_000;

  @IsUrl({ protocols: ['amqp', 'amqps'], require_tld: false, require_protocol: true })
  RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @IsString() @MinLength(1) @MaxLength(255)
  EVENTS_EXCHANGE = 'camunda.events';

  @Transform(toInt) @IsInt() @Min(100) @Max(3_600_000)
  SYNC_INTERVAL_MS = 2_000;

  /** How far back each incremental poll looks again, so rows committed late with an older timestamp are not missed. */
  @Transform(toInt) @IsInt() @Min(0) @Max(3_600_000)
  SYNC_OVERLAP_MS = 5_000;

  /** When the full reconcile runs (cron with seconds); every 5 minutes by default. */
  @IsCron()
  SYNC_RECONCILE_CRON = '0 */5 * * * *';

  /** First retry delay of an instance whose refresh failed; it doubles with every further failure. */
  @Transform(toInt) @IsInt() @Min(100) @Max(3_600_000)
  SYNC_PARKED_RETRY_MIN_MS = 10_000;

  /** The longest wait between two retries of a parked instance. */
  @Transform(toInt) @IsInt() @Min(100) @Max(86_400_000)
  SYNC_PARKED_RETRY_MAX_MS = 3_600_000;

  @IsString() @MinLength(1)
  BPMN_DIR = 'bpmn';

  @Transform(toBoolean) @IsBoolean()
  DEPLOY_ON_STARTUP = true;

  @Transform(toBoolean) @IsBoolean()
  WORKERS_ENABLED = true;

  @Transform(toInt) @IsInt() @Min(1_000) @Max(3_600_000)
  WORKER_LOCK_DURATION_MS = 30_000;

  /** Long-polling wait of fetchAndLock; 0 disables long polling. */
  @Transform(toInt) @IsInt() @Min(0) @Max(1_800_000)
  WORKER_LONG_POLL_MS = 10_000;

  @Transform(toInt) @IsInt() @Min(1) @Max(1_000)
  WORKER_MAX_TASKS = 10;

  @Transform(toInt) @IsInt() @Min(50) @Max(600_000)
  OUTBOX_RELAY_INTERVAL_MS = 500;

  /** Browser origins (scheme://host[:port], comma-separated) that may send commands besides the gateway's own. */
  @Transform(toList) @IsArray() @ArrayMaxSize(100) @Matches(ORIGIN, { each: true, message: 'each entry must be an origin such as https://tickets.example.org' })
  ALLOWED_ORIGINS: string[] = [];

  /** How long the answer to a POST with an Idempotency-Key is kept for replays (default 24 h). */
  @Transform(toInt) @IsInt() @Min(60_000) @Max(30 * 24 * 3_600_000)
  IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;

  /** Users whose group memberships are cached for candidate-user task lists, and for how long. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000)
  USER_GROUPS_CACHE_SIZE = 1_000;

  @Transform(toInt) @IsInt() @Min(1_000) @Max(3_600_000)
  USER_GROUPS_CACHE_TTL_MS = 60_000;

  /** Multipart uploads (variable data, deployments) handled at once; more are refused with 503 and Retry-After. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000)
  MAX_CONCURRENT_UPLOADS = 4;

  /** Publish attempts the broker may refuse (nack, or a channel error on the message) before a row becomes a dead letter. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000)
  OUTBOX_MAX_ATTEMPTS = 10;

  /** How long the relay waits for the broker to confirm a batch before it drops the connection and retries. */
  @Transform(toInt) @IsInt() @Min(100) @Max(600_000)
  OUTBOX_CONFIRM_TIMEOUT_MS = 10_000;

  /** How long published rows stay in the outbox (for inspection) before the retention sweep deletes them. */
  @Transform(toInt) @IsInt() @Min(60_000) @Max(31_536_000_000)
  OUTBOX_RETENTION_MS = 604_800_000;

  @Transform(toInt) @IsInt() @Min(1_000) @Max(86_400_000)
  OUTBOX_RETENTION_SWEEP_MS = 60_000;
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
