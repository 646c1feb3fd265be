export default async function globalTeardown() {
  await Promise.all((globalThis.__gatewayContainers ?? []).map((container) => container.stop()));
}
