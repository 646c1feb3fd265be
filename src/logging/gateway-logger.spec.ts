import { RequestContext } from '../http/request-context.js';
import { GatewayLogger, scrubSecrets, type LogFormat } from './gateway-logger.js';

const requests = new RequestContext();

/** The lines the logger writes to stdout and stderr while `work` runs. */
function linesOf(format: LogFormat, work: (logger: GatewayLogger) => void): string[] {
  const written: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams)
    stream.write = (chunk: string | Uint8Array) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return true;
    };
  try {
    work(new GatewayLogger(format, ['fatal', 'error', 'warn', 'log', 'debug'], requests));
  } finally {
    streams.forEach((stream, index) => (stream.write = originals[index]));
  }
  return written.join('').split('\n').filter(Boolean);
}

const records = (work: (logger: GatewayLogger) => void) => linesOf('json', work).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('GatewayLogger', () => {
  it('writes one JSON object per line: ISO timestamp, level, context, message, and the request id inside a request', () => {
    const [inside, outside] = records((logger) => {
      requests.run('req-7', () => logger.log('started', 'ProcessInstances'));
      logger.warn('idle', 'Sync');
    });
    expect(inside).toMatchObject({ level: 'log', context: 'ProcessInstances', requestId: 'req-7', message: 'started' });
    expect(new Date(inside.timestamp as string).toISOString()).toBe(inside.timestamp);
    expect(Object.keys(inside).slice(0, 5)).toEqual(['timestamp', 'level', 'context', 'requestId', 'message']);
    expect(outside).toMatchObject({ level: 'warn', context: 'Sync', message: 'idle' });
    expect(outside).not.toHaveProperty('requestId');
  });

  it('keeps a request id across awaits, and none leaks into what runs after the request', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = new GatewayLogger('json', ['log'], requests);
    const capture = (work: () => void) => lines.push(...records(() => work()));
    await requests.run('req-async', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      capture(() => logger.log('after an await', 'A'));
    });
    capture(() => logger.log('later', 'A'));
    expect(lines.map((line) => line.requestId)).toEqual(['req-async', undefined]);
  });

  it('puts an error stack in a field of the same line', () => {
    const failure = new Error('engine gone');
    const [given, thrown] = records((logger) => {
      logger.error('refresh failed', 'Error: x\n    at somewhere (file.js:1:1)', 'Sync');
      logger.error(failure, 'Sync');
    });
    expect(given).toMatchObject({ level: 'error', context: 'Sync', message: 'refresh failed', stack: 'Error: x\n    at somewhere (file.js:1:1)' });
    expect(thrown).toMatchObject({ level: 'error', message: 'engine gone', error: { name: 'Error', message: 'engine gone' } });
    expect((thrown.error as { stack: string }).stack).toContain('gateway-logger.spec');
  });

  it('masks URL passwords, bearer tokens and secret-named properties', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
    const lines = linesOf('json', (logger) => {
      logger.warn(`RabbitMQ at amqp://guest:hunter2@broker:5672 refused; header Authorization: Bearer ${token}`, 'Events');
      logger.log('provisioned', { password: 'hunter2', user: { accessToken: token }, name: 'alice' }, 'Identity');
      logger.error(new Error(`connect postgres://gw:hunter2@db/x failed`), 'Database');
    });
    const text = lines.join('\n');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(token);
    expect(text).toContain('amqp://guest:***@broker:5672');
    expect(text).toContain('alice');
    expect(scrubSecrets('see http://user:pw@host/path and http://host:8080/x')).toBe('see http://user:***@host/path and http://host:8080/x');
  });

  it('writes readable lines in text format, with the request id', () => {
    const [line] = linesOf('text', (logger) => requests.run('req-9', () => logger.log('started', 'ProcessInstances')));
    expect(line).toContain('started');
    expect(line).toContain('req-9');
    expect(() => JSON.parse(line)).toThrow();
  });
});
