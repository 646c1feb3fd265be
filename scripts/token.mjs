// Prints an access token from the dev Keycloak, for curl sessions: TOKEN=$(npm run -s token -- alice)
//   npm run token -- <user> [--password <password>]   password grant through the public client gateway-cli
//   npm run token -- --client ticket-service [--secret <secret>]   client credentials grant
// KEYCLOAK_URL (default http://localhost:8180) and KEYCLOAK_REALM (default camunda-gateway) pick the realm.
import { parseArgs } from 'node:util';

const usage = 'usage: npm run token -- <user> [--password <password>] | --client <clientId> [--secret <secret>]';
// The realm's dev-only secret (deploy/keycloak/camunda-gateway-realm.json).
const devSecrets = { 'ticket-service': 'ticket-service-secret' };

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { password: { type: 'string' }, client: { type: 'string' }, secret: { type: 'string' } },
  });
} catch (error) {
  fail(`${error.message}\n${usage}`);
}
const { values, positionals } = parsed;
const [username] = positionals;
if (positionals.length > 1 || (username === undefined) === (values.client === undefined)) fail(usage);

let form;
if (values.client === undefined) {
  form = { grant_type: 'password', client_id: 'gateway-cli', username, password: values.password ?? username };
} else {
  const secret = values.secret ?? devSecrets[values.client];
  if (secret === undefined) fail(`No dev secret known for client ${values.client}: pass --secret`);
  form = { grant_type: 'client_credentials', client_id: values.client, client_secret: secret };
}

const keycloakUrl = process.env.KEYCLOAK_URL ?? 'http://localhost:8180';
const realm = process.env.KEYCLOAK_REALM ?? 'camunda-gateway';
const tokenUrl = `${keycloakUrl}/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token`;
let response;
try {
  response = await fetch(tokenUrl, { method: 'POST', body: new URLSearchParams(form) });
} catch (error) {
  fail(`Keycloak is not reachable at ${keycloakUrl} (${error.cause?.code ?? error.message}); start it with npm run keycloak:start`);
}
const body = await response.json().catch(() => ({}));
if (!response.ok) fail(`Keycloak refused the token request (${response.status}): ${body.error_description ?? body.error ?? 'no reason given'}`);
process.stdout.write(`${body.access_token}\n`);
