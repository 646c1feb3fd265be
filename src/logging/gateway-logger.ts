import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { RequestContext } from '../http/request-context.js';

export type LogFormat = 'json' | 'text';

// Masked wherever they are keys of a logged object (structured params, errors' own properties).
const SECRET_KEYS = ['password', 'passwd', 'secret', 'clientSecret', 'client_secret', 'token', 'accessToken', 'access_token', 'authorization', 'cookie'];
// A safety net under redactUrl and the code's own care: a password in a URL, a bearer token, anywhere in a text.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s@/]+@/gi;
const BEARER_TOKEN = /\b(bearer\s+)[A-Za-z0-9._~+/-]+=*/gi;

/** A text with any URL password and bearer token masked. */
export function scrubSecrets(text: string): string {
  return text.replace(URL_PASSWORD, '$1***@').replace(BEARER_TOKEN, '$1***');
}

/**
 * Every log line of the gateway: NestJS's own ConsoleLogger (JSON mode: one object per line, errors as fields), with
 * an ISO timestamp, the id of the request the line was logged for (from the RequestContext), and secrets masked.
 * `text` is the same lines for a person at a terminal.
 */
export class GatewayLogger extends ConsoleLogger {
  constructor(
    format: LogFormat,
    logLevels: LogLevel[],
    private readonly requests = new RequestContext(),
  ) {
    super({ json: format === 'json', logLevels, redact: SECRET_KEYS });
  }

  protected override stringifyJsonLogObject(logObject: Record<string, unknown>): string {
    const { timestamp, level, context, message, ...rest } = logObject;
    const requestId = this.requests.requestId;
    // Key order is what a person scanning raw lines reads first.
    // Masked on the finished line, so no field (message, stack, an error's own properties) escapes it.
    return scrubSecrets(
      super.stringifyJsonLogObject({
        timestamp: new Date(timestamp as number).toISOString(),
        level,
        context,
        ...(requestId && { requestId }),
        message,
        ...rest,
      }),
    );
  }

  protected override formatMessage(...args: Parameters<ConsoleLogger['formatMessage']>): string {
    return scrubSecrets(super.formatMessage(...args));
  }

  // Nest calls it for every error line, with or without a stack.
  protected override printStackTrace(stack: string | undefined): void {
    if (stack) super.printStackTrace(scrubSecrets(stack));
  }

  protected override formatContext(context: string): string {
    const requestId = this.requests.requestId;
    return super.formatContext(context) + (requestId ? `(request ${requestId}) ` : '');
  }
}
