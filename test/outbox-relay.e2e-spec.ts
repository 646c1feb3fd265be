import { connect, type Channel, type ChannelModel } from 'amqplib';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { AmqpPublisher } from '../src/events/amqp-publisher.js';
import { RELAY_LOCK_KEY } from '../src/events/outbox-relay.js';
import { engineRest } from './support/engine-rest.js';
import { EventCollector } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { CapturingLogger, startGateway, type RunningGateway } from './support/gateway-app.js';
import { StallingProxy } from './support/stalling-proxy.js';
import { TcpProxy, throughLocalPort } from './support/tcp-proxy.js';
import { testEnv } from './support/test-env.js';

interface OutboxRow {
  id: string;
  type: string;
  attempts: number;
  last_error: string | null;
  published_at: Date | null;
}

interface DeadLetterRow {
  id: string;
  attempts: number;
  last_error: string;
  dead_lettered_at: Date;
}

/**
 * The outbox relay against a real RabbitMQ and PostgreSQL. Each gateway here publishes to an exchange of its own,
 * so what other gateways on the shared broker publish cannot reach these consumers, and a queue bound to this
 * exchange alone can refuse messages without disturbing anyone else.
 */
describe('outbox relay: refused messages, broker failures, retention', () => {
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  let admin: ChannelModel;
  let channel: Channel;
  const startedIds: string[] = [];

  beforeAll(async () => {
    await mirror.connect();
    admin = await connect(testEnv.rabbitmqUrl);
    channel = await admin.createChannel();
  });

  afterAll(async () => {
    await mirror.end().catch(() => undefined);
    await admin?.close();
    if (startedIds.length > 0)
      await engineRest('POST', '/process-instance/delete', { processInstanceIds: startedIds, deleteReason: 'test cleanup' }).catch(() => undefined);
  });

  /** What a gateway declared for its exchange (see AmqpPublisher), so runs leave nothing behind on the shared broker. */
  async function removeTopology(exchange: string): Promise<void> {
    // A channel of its own: should the broker refuse a delete, it closes this channel, not the tests' one.
    const cleanup = await admin.createChannel();
    try {
      await cleanup.deleteExchange(exchange);
      await cleanup.deleteQueue(`${exchange}.unrouted`);
      await cleanup.deleteExchange(`${exchange}.unrouted`);
    } finally {
      await cleanup.close().catch(() => undefined);
    }
  }

  async function start(gateway: RunningGateway): Promise<string> {
    const { body } = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', businessKey: `RELAY-${randomUUID()}` })
      .expect(201);
    startedIds.push(body.id);
    return body.id;
  }

  async function outboxRow(processInstanceId: string, type: string): Promise<OutboxRow | undefined> {
    const { rows } = await mirror.query(
      'SELECT id, type, attempts, last_error, published_at FROM outbox_events WHERE process_instance_id = $1 AND type = $2 ORDER BY position DESC LIMIT 1',
      [processInstanceId, type],
    );
    return rows[0];
  }

  async function deadLetter(id: string): Promise<DeadLetterRow | undefined> {
    const { rows } = await mirror.query('SELECT id, attempts, last_error, dead_lettered_at FROM outbox_dead_letters WHERE id = $1', [id]);
    return rows[0];
  }

  describe('a queue that refuses one instance’s events', () => {
    const exchange = `relay-test-${randomUUID()}`;
    const fullQueue = `${exchange}.full`;
    let gateway: RunningGateway;
    let events: EventCollector;

    beforeAll(async () => {
      gateway = await startGateway({
        EVENTS_EXCHANGE: exchange,
        WORKERS_ENABLED: 'false',
        // Slow per-row retries (4 s, then 8 s), so the other instance's events visibly flow while the refused one waits.
        OUTBOX_RELAY_INTERVAL_MS: '2000',
        OUTBOX_MAX_ATTEMPTS: '3',
        OUTBOX_RETENTION_MS: '60000',
        OUTBOX_RETENTION_SWEEP_MS: '1000',
      });
      events = await EventCollector.bind(exchange);
      // Full from the start: one message in a queue of length 1 that refuses (nacks) what would overflow it.
      await channel.assertQueue(fullQueue, { autoDelete: false, arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } });
      channel.sendToQueue(fullQueue, Buffer.from('filler'));
      await eventually(async () => expect((await channel.checkQueue(fullQueue)).messageCount).toBe(1));
      await channel.bindQueue(fullQueue, exchange, 'process.suspended');
    });

    afterAll(async () => {
      await events?.close();
      await channel.deleteQueue(fullQueue).catch(() => undefined);
      await gateway?.close();
      await removeTopology(exchange);
    });

    it('a nacked event holds back only its own instance, becomes a dead letter after N tries, and replays once the queue has room', async () => {
      const [refusedInstance, otherInstance] = [await start(gateway), await start(gateway)];
      await eventually(() => {
        expect(events.typesFor(refusedInstance)).toContain('task.created');
        expect(events.typesFor(otherInstance)).toContain('task.created');
      });

      // Only this instance produces process.suspended here, and the full queue is bound to that routing key alone.
      await gateway.http.post(`/process-instances/${refusedInstance}/suspend`).expect(200);
      const refused = await eventually(async () => {
        const row = await outboxRow(refusedInstance, 'process.suspended');
        expect(row).toMatchObject({ published_at: null, last_error: expect.stringMatching(/nack/) });
        expect(row!.attempts).toBeGreaterThanOrEqual(1);
        return row!;
      }, 15_000);
      expect((await gateway.http.get('/sync/status').expect(200)).body.outbox.retrying).toBeGreaterThanOrEqual(1);
      await gateway.http.post(`/process-instances/${refusedInstance}/activate`).expect(200);
      const [otherTask] = (await gateway.http.get('/tasks').query({ processInstanceId: otherInstance }).expect(200)).body.items;
      await gateway.http.post(`/tasks/${otherTask.id}/claim`).send({ userId: 'demo' }).expect(200);

      await eventually(() => expect(events.typesFor(otherInstance)).toContain('task.assigned'));
      // Marked published right after the broker's confirm, which may come after the consumer got the message.
      const otherAssigned = await eventually(async () => {
        const row = await outboxRow(otherInstance, 'task.assigned');
        expect(row?.published_at).toBeInstanceOf(Date);
        return row!;
      });

      const dead = await eventually(
        async () => {
          const row = await deadLetter(refused.id);
          expect(row).toBeDefined();
          return row!;
        },
        40_000,
        200,
      );
      expect(dead.attempts).toBe(3);
      expect(dead.last_error).toMatch(/nack/);
      expect(await outboxRow(refusedInstance, 'process.suspended')).toBeUndefined();
      // The other instance's event went out while the refused one was still being retried.
      expect(otherAssigned.published_at!.getTime()).toBeLessThan(dead.dead_lettered_at.getTime());

      // The refused instance's later event waited for its predecessor to leave the outbox, then flowed.
      const activated = await eventually(async () => {
        const row = await outboxRow(refusedInstance, 'process.activated');
        expect(row?.published_at).not.toBeNull();
        return row!;
      }, 15_000);
      expect(activated.published_at!.getTime()).toBeGreaterThanOrEqual(dead.dead_lettered_at.getTime());
      await eventually(() => expect(events.typesFor(refusedInstance)).toContain('process.activated'));

      const status = (await gateway.http.get('/sync/status').expect(200)).body.outbox;
      expect(status.deadLetters).toBeGreaterThanOrEqual(1);
      const metrics = (await gateway.http.get('/metrics').expect(200)).text;
      expect(Number(/^camunda_gateway_outbox_dead_letters (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
      const listed = (await gateway.http.get('/outbox/dead-letters').expect(200)).body.items;
      expect(listed).toContainEqual(expect.objectContaining({ id: refused.id, type: 'process.suspended', processInstanceId: refusedInstance, attempts: 3 }));

      await channel.purgeQueue(fullQueue);
      expect((await gateway.http.post(`/outbox/dead-letters/${refused.id}/replay`).expect(200)).body).toEqual({ replayed: 1 });
      // Reading the full queue keeps room in it, whatever else arrives there meanwhile.
      await eventually(
        async () => {
          const message = await channel.get(fullQueue, { noAck: true });
          expect(message && message.properties.messageId).toBe(refused.id);
        },
        30_000,
        200,
      );
      await eventually(async () => expect((await outboxRow(refusedInstance, 'process.suspended'))?.published_at).not.toBeNull());
      expect(await deadLetter(refused.id)).toBeUndefined();
    });

    it('replay answers problem+json: 404 for an unknown dead letter, 400 for a malformed id or limit', async () => {
      const unknown = await gateway.http.post(`/outbox/dead-letters/${randomUUID()}/replay`).expect(404);
      expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(unknown.body.code).toBe('RESOURCE_NOT_FOUND');
      expect((await gateway.http.post('/outbox/dead-letters/not-a-uuid/replay').expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await gateway.http.get('/outbox/dead-letters').query({ limit: '0' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });

    it('the oldest-pending metric counts from when a row was queued, not from when its event occurred', async () => {
      const id = randomUUID();
      await mirror.query(
        `INSERT INTO outbox_events (id, type, process_instance_id, sequence, payload, occurred_at, queued_at, attempts, next_attempt_at, first_failed_at, last_error)
         VALUES ($1, 'process.started', $2, 1, '{}', now() - interval '5 years', now() - interval '30 minutes', 1, now() + interval '1 day', now(), 'held by the test')`,
        [id, `queued-at-${id}`],
      );
      try {
        const metrics = (await gateway.http.get('/metrics').expect(200)).text;
        const oldest = Number(/^camunda_gateway_outbox_oldest_pending_seconds ([\d.e+]+)$/m.exec(metrics)?.[1]);
        expect(oldest).toBeGreaterThanOrEqual(30 * 60 - 5);
        expect(oldest).toBeLessThan(60 * 60);
        const status = (await gateway.http.get('/sync/status').expect(200)).body.outbox;
        expect(Date.now() - new Date(status.oldestPendingAt).getTime()).toBeGreaterThanOrEqual(30 * 60 * 1000 - 5_000);
      } finally {
        await mirror.query('DELETE FROM outbox_events WHERE id = $1', [id]);
      }
    });

    it('retention deletes old published rows in batches and keeps recent and unpublished ones', async () => {
      const scope = `retention-${randomUUID()}`;
      await mirror.query(
        `INSERT INTO outbox_events (id, type, process_instance_id, sequence, payload, occurred_at, published_at)
         SELECT gen_random_uuid(), 'process.started', $1, n, '{}', now() - interval '1 day', now() - interval '2 minutes' FROM generate_series(1, 2500) n`,
        [`${scope}-old`],
      );
      await mirror.query(
        `INSERT INTO outbox_events (id, type, process_instance_id, sequence, payload, occurred_at, published_at) VALUES (gen_random_uuid(), 'process.started', $1, 1, '{}', now(), now())`,
        [`${scope}-recent`],
      );
      await mirror.query(
        `INSERT INTO outbox_events (id, type, process_instance_id, sequence, payload, occurred_at, queued_at, attempts, next_attempt_at, last_error)
         VALUES (gen_random_uuid(), 'process.started', $1, 1, '{}', now() - interval '1 day', now() - interval '1 day', 1, now() + interval '1 day', 'held by the test')`,
        [`${scope}-unpublished`],
      );
      const count = async (suffix: string) =>
        (await mirror.query('SELECT count(*)::int AS n FROM outbox_events WHERE process_instance_id = $1', [`${scope}-${suffix}`])).rows[0].n as number;
      try {
        await eventually(async () => expect(await count('old')).toBe(0), 20_000, 250);
        expect(await count('recent')).toBe(1);
        expect(await count('unpublished')).toBe(1);
      } finally {
        await mirror.query('DELETE FROM outbox_events WHERE process_instance_id LIKE $1', [`${scope}-%`]);
      }
    });
  });

  describe('a broker that takes messages and never confirms them', () => {
    const exchange = `relay-test-${randomUUID()}`;
    const proxy = new StallingProxy('127.0.0.1', Number(new URL(testEnv.rabbitmqUrl).port || 5672));
    const logger = new CapturingLogger();
    let gateway: RunningGateway;
    let events: EventCollector;

    beforeAll(async () => {
      await proxy.open();
      gateway = await startGateway(
        {
          EVENTS_EXCHANGE: exchange,
          RABBITMQ_URL: throughLocalPort(testEnv.rabbitmqUrl, proxy.port),
          OUTBOX_CONFIRM_TIMEOUT_MS: '2000',
          WORKERS_ENABLED: 'false',
        },
        logger,
      );
      events = await EventCollector.bind(exchange);
    });

    afterAll(async () => {
      await events?.close();
      await gateway?.close();
      await proxy.close();
      await removeTopology(exchange);
    });

    /** Transaction state of the session holding the relay lock, if one does. */
    async function relayLockHolderStates(): Promise<string[]> {
      const { rows } = await mirror.query(
        `SELECT a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND a.datname = current_database()`,
        [RELAY_LOCK_KEY],
      );
      return rows.map((row) => row.state as string);
    }

    it('waits for confirms without an open transaction, times out, drops the connection, and publishes on a new one', async () => {
      proxy.stall();
      const id = await start(gateway);
      // Sampled while the relay waits for confirms that never come: its session holds the lock but no transaction.
      const whileWaiting: string[] = [];
      await eventually(
        async () => {
          whileWaiting.push(...(await relayLockHolderStates()));
          expect(logger.lines.some((line) => /did not confirm .* within 2000 ms/.test(line))).toBe(true);
        },
        20_000,
        50,
      );
      expect(whileWaiting).toContain('idle');
      expect(whileWaiting).not.toContain('idle in transaction');
      await eventually(async () => expect((await outboxRow(id, 'process.started'))?.published_at).not.toBeNull(), 30_000);
      await eventually(() => expect(events.typesFor(id)).toContain('process.started'));
    });
  });

  describe('a broker that goes away and comes back (its TCP path cut and restored)', () => {
    const exchange = `relay-test-${randomUUID()}`;
    const proxy = new TcpProxy('127.0.0.1', Number(new URL(testEnv.rabbitmqUrl).port || 5672));
    let gateway: RunningGateway;
    let events: EventCollector;

    beforeAll(async () => {
      await proxy.open();
      // One attempt: were an outage ever charged to a row, that row would be a dead letter at once.
      gateway = await startGateway({
        EVENTS_EXCHANGE: exchange,
        RABBITMQ_URL: throughLocalPort(testEnv.rabbitmqUrl, proxy.listeningPort),
        OUTBOX_MAX_ATTEMPTS: '1',
        WORKERS_ENABLED: 'false',
      });
      events = await EventCollector.bind(exchange);
    });

    afterAll(async () => {
      await events?.close();
      await gateway?.close();
      await proxy.cut();
      await removeTopology(exchange);
    });

    it('charges no row for the outage, dead-letters nothing, and keeps each instance in order', async () => {
      const before = await start(gateway);
      await eventually(() => expect(events.typesFor(before)).toEqual(['process.started', 'task.created']));

      await proxy.cut();
      const duringOutage = [await start(gateway), await start(gateway)];
      const [task] = (await gateway.http.get('/tasks').query({ processInstanceId: before }).expect(200)).body.items;
      await gateway.http.post(`/tasks/${task.id}/claim`).send({ userId: 'demo' }).expect(200);
      await gateway.http
        .post(`/tasks/${task.id}/complete`)
        .send({ variables: { approved: false } })
        .expect(200);
      await eventually(async () => expect((await gateway.http.get('/sync/status').expect(200)).body.outbox.lastError).not.toBeNull());
      await proxy.open();

      const expected = new Map([
        [before, ['process.started', 'task.created', 'task.assigned', 'task.completed', 'process.completed']],
        ...duringOutage.map((id) => [id, ['process.started', 'task.created']] as [string, string[]]),
      ]);
      await eventually(
        () => {
          for (const [id, types] of expected) {
            const bySequence = new Map(events.forInstance(id).map((event) => [event.body.sequence, event.routingKey]));
            expect([...bySequence.keys()].sort((a, b) => a - b).map((sequence) => bySequence.get(sequence))).toEqual(types);
          }
        },
        60_000,
        200,
      );
      for (const id of expected.keys()) {
        const firstArrivals = events
          .forInstance(id)
          .map((event) => event.body.sequence)
          .filter((sequence, index, all) => all.indexOf(sequence) === index);
        expect(firstArrivals).toEqual([...firstArrivals].sort((a, b) => a - b));
      }
      const ids = [...expected.keys()];
      await eventually(async () => {
        const { rows } = await mirror.query('SELECT count(*)::int AS n FROM outbox_events WHERE process_instance_id = ANY($1) AND published_at IS NULL', [ids]);
        expect(rows[0].n).toBe(0);
      });
      const charged = await mirror.query('SELECT count(*)::int AS n FROM outbox_events WHERE process_instance_id = ANY($1) AND attempts > 0', [ids]);
      expect(charged.rows[0].n).toBe(0);
      const dead = await mirror.query('SELECT count(*)::int AS n FROM outbox_dead_letters WHERE process_instance_id = ANY($1)', [ids]);
      expect(dead.rows[0].n).toBe(0);
    });
  });

  describe('a channel the broker closes', () => {
    const exchange = `relay-test-${randomUUID()}`;
    let gateway: RunningGateway;

    /** The broker's own count of open connections carrying this name. */
    function brokerConnections(name: string): number {
      const listing = execFileSync('rabbitmqctl', ['-q', 'list_connections', 'client_properties'], { encoding: 'utf8', timeout: 30_000 });
      return listing.split('\n').filter((line) => line.includes(`"${name}"`)).length;
    }

    beforeAll(async () => {
      gateway = await startGateway({ EVENTS_EXCHANGE: exchange, WORKERS_ENABLED: 'false' });
    });

    afterAll(async () => {
      await gateway?.close();
      await removeTopology(exchange);
    });

    it('closes its connection too: after a channel error the gateway holds one connection, not two', async () => {
      const name = gateway.app.get(AmqpPublisher).connectionName;
      await eventually(() => expect(brokerConnections(name)).toBe(1), 20_000, 500);

      // Publishing to a missing exchange makes the broker close the channel (404); the reconnect declares it again.
      await channel.deleteExchange(exchange);
      const id = await start(gateway);
      await eventually(async () => expect((await outboxRow(id, 'process.started'))?.published_at).not.toBeNull(), 30_000);
      const { rows } = await mirror.query(`SELECT count(*)::int AS n FROM outbox_events WHERE last_error LIKE '%NOT_FOUND%' AND published_at IS NOT NULL`);
      expect(rows[0].n).toBeGreaterThanOrEqual(1);
      await eventually(() => expect(brokerConnections(name)).toBe(1), 20_000, 500);
    });
  });
});
