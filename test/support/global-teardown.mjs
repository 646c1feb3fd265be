import { connect } from 'amqplib';

export default async function globalTeardown() {
  await deleteRunExchange(process.env.TEST_EVENTS_EXCHANGE).catch((error) => console.warn(`Could not delete this run's exchange: ${error.message}`));
  await Promise.all((globalThis.__gatewayContainers ?? []).map((container) => container.stop()));
}

/** The run's exchange and its unrouted catch-all (exchange and queue), so runs leave nothing behind on the broker. */
async function deleteRunExchange(exchange) {
  if (!exchange?.startsWith('camunda.events.test-')) return;
  const connection = await connect(process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  try {
    const channel = await connection.createChannel();
    await channel.deleteExchange(exchange);
    await channel.deleteExchange(`${exchange}.unrouted`);
    await channel.deleteQueue(`${exchange}.unrouted`);
  } finally {
    await connection.close();
  }
}
