import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { GatewayConfig, validateGatewayConfig } from '../src/config/gateway-config.js';

// The Kubernetes manifests in deploy/k8s, checked against the Kubernetes API schemas (kubernetes-models, generated
// from Kubernetes' OpenAPI document) and against what running the gateway needs. No cluster is involved.
const BASE = 'deploy/k8s/base';
const OVERLAY = 'deploy/k8s/overlays/production';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
}

interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[]; securityContext?: { runAsNonRoot?: boolean }; terminationGracePeriodSeconds?: number };
}

function parse(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** The kubernetes-models class for a manifest's apiVersion and kind, e.g. apps/v1 Deployment. */
async function validate(manifest: Manifest): Promise<void> {
  const [group, version] = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/') : [null, manifest.apiVersion];
  const module = (await import(`kubernetes-models/${group ? `${group}/` : ''}${version}/${manifest.kind}`)) as Record<
    string,
    new (data: Manifest) => { validate(): void }
  >;
  const Model = module[manifest.kind];
  new Model(manifest).validate();
}

const baseManifests = readdirSync(BASE)
  .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
  .flatMap((file) => parse(readFileSync(join(BASE, file), 'utf8')));

function rendered(): Manifest[] {
  return parse(execFileSync('kubectl', ['kustomize', OVERLAY], { encoding: 'utf8' }));
}

const deployments = (manifests: Manifest[]) => manifests.filter((manifest) => manifest.kind === 'Deployment');
const template = (deployment: Manifest) => deployment.spec!.template as PodTemplate;
const roleOf = (deployment: Manifest) => template(deployment).spec.containers[0].env?.find((variable) => variable.name === 'GATEWAY_ROLE')?.value;

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('every manifest of the base conforms to the Kubernetes API schema of its kind', async () => {
    expect(baseManifests.map((manifest) => manifest.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'Deployment', 'Job', 'PodDisruptionBudget', 'PodDisruptionBudget', 'Secret', 'Service'].sort(),
    );
    for (const manifest of baseManifests) await validate(manifest);
  });

  it('the validator refuses what the schema forbids', async () => {
    const broken = structuredClone(deployments(baseManifests)[0]);
    (template(broken).spec.containers[0] as unknown as { image: number }).image = 42;
    await expect(validate(broken)).rejects.toThrow(/image must be string/);
  });

  it('the production overlay renders (kustomize) into manifests that conform too, with its image and replicas', async () => {
    const manifests = rendered();
    for (const manifest of manifests) await validate(manifest);
    const api = deployments(manifests).find((deployment) => roleOf(deployment) === 'api')!;
    expect(api.spec!.replicas).toBe(3);
    expect(template(api).spec.containers[0]).toMatchObject({ image: 'registry.example.org/camunda-gateway:0.1.0' });
  });

  it('runs the API with 2 replicas and the workers apart, both probed on the right endpoints, bounded and unprivileged', () => {
    const byRole = new Map(deployments(baseManifests).map((deployment) => [roleOf(deployment), deployment]));
    expect([...byRole.keys()].sort()).toEqual(['api', 'worker']);
    expect(byRole.get('api')!.spec!.replicas).toBe(2);
    for (const deployment of byRole.values()) {
      const pod = template(deployment);
      expect(pod.spec.securityContext?.runAsNonRoot).toBe(true);
      for (const container of pod.spec.containers) {
        expect(container.readinessProbe?.httpGet?.path).toBe('/health/ready');
        expect(container.livenessProbe?.httpGet?.path).toBe('/health/live');
        expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
      }
    }
  });

  it('gives the workers more grace than their drain deadline, and every disruption budget selects a Deployment', () => {
    const config = baseManifests.find((manifest) => manifest.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
    const worker = deployments(baseManifests).find((deployment) => roleOf(deployment) === 'worker')!;
    expect(template(worker).spec.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(Number(config.data.WORKER_DRAIN_TIMEOUT_MS));
    for (const budget of baseManifests.filter((manifest) => manifest.kind === 'PodDisruptionBudget')) {
      const selector = (budget.spec!.selector as { matchLabels: Record<string, string> }).matchLabels;
      const selected = deployments(baseManifests).filter((deployment) =>
        Object.entries(selector).every(([key, value]) => template(deployment).metadata.labels[key] === value),
      );
      expect(selected).toHaveLength(1);
    }
  });

  it('configures each Deployment with settings the gateway knows and accepts (ConfigMap, Secret, its own env)', () => {
    const secret = baseManifests.find((manifest) => manifest.kind === 'Secret') as unknown as { stringData: Record<string, string> };
    const config = baseManifests.find((manifest) => manifest.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
    const known = Object.keys(new GatewayConfig());
    for (const deployment of deployments(baseManifests)) {
      const own = Object.fromEntries((template(deployment).spec.containers[0].env ?? []).map((variable) => [variable.name, variable.value ?? '']));
      const environment = { ...config.data, ...secret.stringData, ...own };
      expect({ deployment: deployment.metadata.name, unknown: Object.keys(environment).filter((name) => !known.includes(name)) }).toEqual({
        deployment: deployment.metadata.name,
        unknown: [],
      });
      expect(() => validateGatewayConfig(environment)).not.toThrow();
    }
  });

  it('keeps credentials in the Secret only: engine, database and broker', () => {
    const secret = baseManifests.find((manifest) => manifest.kind === 'Secret') as unknown as { stringData: Record<string, string> };
    const config = baseManifests.find((manifest) => manifest.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
    expect(Object.keys(secret.stringData).sort()).toEqual(['CAMUNDA_PASSWORD', 'CAMUNDA_USER', 'DATABASE_URL', 'RABBITMQ_URL']);
    expect(Object.keys(config.data).filter((key) => /PASSWORD|SECRET|DATABASE_URL|RABBITMQ_URL/.test(key))).toEqual([]);
  });
});

// docker-compose.camunda.yml, for machines with Docker (none here): checked by dclint, which validates it against the
// Compose specification's JSON schema and its correctness rules (.dclintrc.yml), and against what the stack needs.
const COMPOSE = 'docker-compose.camunda.yml';

interface ComposeService {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

function dclint(file: string): { status: number; output: string } {
  try {
    return { status: 0, output: execFileSync('node_modules/.bin/dclint', [file], { encoding: 'utf8', stdio: 'pipe' }).trim() };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}

describe('the Compose stack (docker-compose.camunda.yml)', () => {
  const services = (parseDocument(readFileSync(COMPOSE, 'utf8')).toJS() as { services: Record<string, ComposeService> }).services;

  it('conforms to the Compose specification (dclint)', () => {
    expect(dclint(COMPOSE)).toEqual({ status: 0, output: '' });
  });

  it('the check refuses what the specification forbids', () => {
    const directory = mkdtempSync(join(tmpdir(), 'compose-'));
    try {
      const broken = join(directory, 'docker-compose.yml');
      writeFileSync(broken, readFileSync(COMPOSE, 'utf8').replace('condition: service_completed_successfully', 'condition: service_done'));
      const result = dclint(broken);
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(/invalid-schema/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('brings up the whole stack: the gateway once the migrations ran and everything it talks to is healthy', () => {
    expect(Object.keys(services).sort()).toEqual(['camunda', 'gateway', 'keycloak', 'migrations', 'postgres', 'rabbitmq']);
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'migrations') expect({ name, healthcheck: service.healthcheck?.test.length }).toEqual({ name, healthcheck: expect.any(Number) });
    }
    expect(services.gateway.depends_on).toEqual({
      migrations: { condition: 'service_completed_successfully' },
      camunda: { condition: 'service_healthy' },
      rabbitmq: { condition: 'service_healthy' },
      keycloak: { condition: 'service_healthy' },
    });
    expect(services.migrations.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.gateway.build).toBe('.');
    expect(services.migrations.build).toBe('.');
  });

  it('runs the migrations as the Kubernetes Job does, on the database the gateway uses and PostgreSQL creates', () => {
    const job = baseManifests.find((manifest) => manifest.kind === 'Job')!;
    const jobContainer = (job.spec!.template as { spec: { containers: { command: string[] }[] } }).spec.containers[0];
    expect(services.migrations.command).toEqual(jobContainer.command);
    const database = services.gateway.environment!.DATABASE_URL;
    expect(services.migrations.environment!.DATABASE_URL).toBe(database);
    expect(readFileSync('deploy/postgres/create-gateway-databases.sql', 'utf8')).toContain(`CREATE DATABASE ${new URL(database).pathname.slice(1)};`);
  });

  it('configures the gateway with settings it knows and accepts, and the issuer the Keycloak service names', () => {
    const environment = services.gateway.environment!;
    const known = Object.keys(new GatewayConfig());
    expect(Object.keys(environment).filter((name) => !known.includes(name))).toEqual([]);
    expect(() => validateGatewayConfig(environment)).not.toThrow();

    const keycloak = services.keycloak;
    const realmFile = 'deploy/keycloak/camunda-gateway-realm.json';
    const realm = (JSON.parse(readFileSync(realmFile, 'utf8')) as { realm: string }).realm;
    expect(keycloak.volumes).toContain(`./${realmFile}:/opt/keycloak/data/import/camunda-gateway-realm.json:ro`);
    expect(keycloak.command).toEqual(expect.arrayContaining(['start-dev', '--import-realm']));
    expect(environment.AUTH_ISSUER).toBe(`${keycloak.environment!.KC_HOSTNAME}/realms/${realm}`);
    expect(environment.AUTH_JWKS_URI).toBe(`http://keycloak:8180/realms/${realm}/protocol/openid-connect/certs`);
  });
});
