import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configVariables } from '@paperboy/config';
import { Queues } from '@paperboy/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type K8sObject, kustomize, podSpecOf } from './support/kustomize.ts';
import { unknownFields } from './support/strict-schema.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const overlays = {
  keda: kustomize(`${root}infra/k8s/overlays/example`),
  hpa: kustomize(`${root}infra/k8s/overlays/example-hpa`),
};

interface Model {
  validate(this: object): void;
}
type ModelClass = new (data: K8sObject) => Model;

/** The kubernetes-models class for an object: its schema comes with the npm package, no network. */
async function modelFor(object: K8sObject): Promise<ModelClass> {
  const module = object.apiVersion.startsWith('keda.sh/')
    ? `@kubernetes-models/keda/${object.apiVersion}/${object.kind}`
    : `kubernetes-models/${object.apiVersion}/${object.kind}`;
  return ((await import(module)) as Record<string, ModelClass>)[object.kind]!;
}

/** The schema check: kubernetes-models' validation, plus no field the schema does not name. */
async function checkSchema(object: K8sObject): Promise<void> {
  const model = new (await modelFor(object))(object);
  model.validate();
  const unknown = unknownFields(model.validate, model);
  if (unknown.length > 0)
    throw new Error(`fields unknown to the ${object.kind} schema: ${unknown.join(', ')}`);
}

const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const find = (objects: K8sObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name)!;

interface Container {
  name: string;
  image: string;
  command: string[];
  ports?: { name: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: { httpGet: { path: string; port: number } };
  readinessProbe?: { httpGet: { path: string; port: number } };
  startupProbe?: { httpGet: { path: string; port: number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}
const pod = (object: K8sObject) => podSpecOf(object) as unknown as PodSpec;

describe.each(Object.entries(overlays))('infra/k8s overlay with %s autoscaling', (_, objects) => {
  it('builds objects that all pass the Kubernetes (and KEDA) schemas', async () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) {
      await expect(checkSchema(object), `${object.kind}/${object.metadata.name}`).resolves.toBeUndefined();
    }
  });

  it('runs api, worker, mailer and bounces from the image with probes, resources and a non-root user', () => {
    const deployments = byKind(objects, 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
      'paperboy-api',
      'paperboy-bounces',
      'paperboy-mailer',
      'paperboy-worker',
    ]);
    for (const deployment of deployments) {
      const service = deployment.metadata.name.replace('paperboy-', '');
      const spec = pod(deployment);
      const [container] = spec.containers;
      expect(container!.image).toBe('registry.example.org/paperboy:0.1.0');
      // The image runs compiled JavaScript; the entry point is the one built from this source.
      expect(container!.command).toEqual(['node', `services/${service}/dist/main.js`]);
      expect(existsSync(`${root}services/${service}/src/main.ts`)).toBe(true);
      const port = container!.ports![0]!.containerPort;
      expect(container!.livenessProbe!.httpGet).toEqual({ path: '/healthz', port });
      expect(container!.startupProbe!.httpGet).toEqual({ path: '/healthz', port });
      expect(container!.readinessProbe!.httpGet).toEqual({ path: '/readyz', port });
      expect(Object.keys(container!.resources!.requests!).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container!.resources!.limits!).sort()).toEqual(['cpu', 'memory']);
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      expect(container!.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
      expect(container!.envFrom).toEqual([
        { configMapRef: { name: 'paperboy-config' } },
        { secretRef: { name: 'paperboy-secrets' } },
      ]);
    }
  });

  it('listens where the probes look: the ConfigMap ports match the container ports', () => {
    const config = find(objects, 'ConfigMap', 'paperboy-config').data as Record<string, string>;
    const portOf = (name: string) =>
      pod(find(objects, 'Deployment', name)).containers[0]!.ports![0]!.containerPort;
    expect(portOf('paperboy-api')).toBe(Number(config.PORT));
    expect(portOf('paperboy-worker')).toBe(Number(config.WORKER_METRICS_PORT));
    expect(portOf('paperboy-mailer')).toBe(Number(config.MAILER_METRICS_PORT));
    expect(portOf('paperboy-bounces')).toBe(Number(config.BOUNCES_METRICS_PORT));
    const bouncesPorts = pod(find(objects, 'Deployment', 'paperboy-bounces')).containers[0]!.ports!;
    expect(bouncesPorts.find((p) => p.name === 'smtp')!.containerPort).toBe(Number(config.BOUNCE_SMTP_PORT));
    expect(config.HOST).toBe('0.0.0.0');
  });

  it('sets only variables paperboy knows, with placeholder secrets', () => {
    const config = find(objects, 'ConfigMap', 'paperboy-config').data as Record<string, string>;
    const secret = find(objects, 'Secret', 'paperboy-secrets').stringData as Record<string, string>;
    for (const variable of [...Object.keys(config), ...Object.keys(secret)]) {
      expect(configVariables).toContain(variable);
    }
    for (const value of Object.values(secret)) expect(value).toContain('CHANGE-ME');
  });

  it('exposes the api (HTTP) and bounces (SMTP on 25) through Services; a PodDisruptionBudget guards every Deployment', () => {
    for (const [name, port] of [
      ['paperboy-api', 80],
      ['paperboy-bounces', 25],
    ] as const) {
      const service = find(objects, 'Service', name).spec as {
        selector: Record<string, string>;
        ports: { port: number; targetPort: string }[];
      };
      const deployment = find(objects, 'Deployment', name);
      expect((deployment.spec as { selector: { matchLabels: object } }).selector.matchLabels).toEqual(
        service.selector,
      );
      expect(service.ports.map((p) => p.port)).toEqual([port]);
      expect(pod(deployment).containers[0]!.ports!.map((p) => p.name)).toContain(
        service.ports[0]!.targetPort,
      );
    }
    for (const deployment of byKind(objects, 'Deployment')) {
      const labels = (deployment.spec as { selector: { matchLabels: object } }).selector.matchLabels;
      const guards = byKind(objects, 'PodDisruptionBudget').filter(
        (pdb) =>
          JSON.stringify((pdb.spec as { selector: { matchLabels: object } }).selector.matchLabels) ===
          JSON.stringify(labels),
      );
      expect(guards, deployment.metadata.name).toHaveLength(1);
    }
  });

  it('migrates with a Job running `paperboy migrate`', () => {
    const job = find(objects, 'Job', 'paperboy-migrate');
    expect(pod(job).containers[0]!.command).toEqual(['paperboy', 'migrate']);
  });

  it('puts everything in the overlay namespace', () => {
    for (const object of objects.filter((o) => o.kind !== 'Namespace')) {
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe('paperboy');
    }
  });
});

describe('the schema check', () => {
  const deployment = () =>
    structuredClone(find(kustomize(`${root}infra/k8s/overlays/example`), 'Deployment', 'paperboy-api'));

  it('rejects a misspelled field that Kubernetes would silently drop', async () => {
    const misspelled = deployment();
    const container = pod(misspelled).containers[0]! as unknown as Record<string, unknown>;
    container.readinesProbe = container.readinessProbe;
    delete container.readinessProbe;
    // kubernetes-models alone lets it through: this is what the strict check adds.
    const Model = await modelFor(misspelled);
    expect(() => new Model(misspelled).validate()).not.toThrow();
    await expect(checkSchema(misspelled)).rejects.toThrow(
      'fields unknown to the Deployment schema: /spec/template/spec/containers/0/readinesProbe',
    );
  });

  it('rejects an unknown top-level field and one inside a nested object', async () => {
    const misspelled = deployment() as K8sObject & { spec: { replica?: number; replicas?: number } };
    misspelled.spec.replica = misspelled.spec.replicas;
    delete misspelled.spec.replicas;
    const resources = pod(misspelled).containers[0]! as unknown as { resources: Record<string, unknown> };
    resources.resources.request = resources.resources.requests;
    delete resources.resources.requests;
    await expect(checkSchema(misspelled)).rejects.toThrow(
      /\/spec\/replica\b.*\/spec\/template\/spec\/containers\/0\/resources\/request\b/,
    );
  });

  it('still accepts free keys where the schema is a map (labels, ConfigMap data)', async () => {
    const labelled = deployment();
    labelled.metadata.labels = { ...labelled.metadata.labels, 'example.org/anything': 'yes' };
    await expect(checkSchema(labelled)).resolves.toBeUndefined();
  });
});

describe('infra/k8s autoscaling', () => {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const testPrefix = `{k8s-test-${process.pid}}`;
  afterAll(async () => {
    const keys = await redis.keys(`${testPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('uses either KEDA or HPAs, never both on one Deployment', () => {
    expect(byKind(overlays.keda, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(byKind(overlays.hpa, 'ScaledObject')).toEqual([]);
    const targets = (objects: K8sObject[], kind: string) =>
      byKind(objects, kind)
        .map((o) => (o.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name)
        .sort();
    expect(targets(overlays.keda, 'ScaledObject')).toEqual(['paperboy-mailer', 'paperboy-worker']);
    expect(targets(overlays.hpa, 'HorizontalPodAutoscaler')).toEqual(['paperboy-mailer', 'paperboy-worker']);
  });

  it("scales worker and mailer on their queues' BullMQ wait lists, which are Redis LISTs", async () => {
    const config = find(overlays.keda, 'ConfigMap', 'paperboy-config').data as Record<string, string>;
    const lists = new Map<string, string[]>();
    for (const scaled of byKind(overlays.keda, 'ScaledObject')) {
      const spec = scaled.spec as {
        scaleTargetRef: { name: string };
        triggers: { type: string; metadata: { listName: string }; authenticationRef: { name: string } }[];
      };
      for (const trigger of spec.triggers) {
        expect(trigger.type).toBe('redis');
        expect(find(overlays.keda, 'TriggerAuthentication', trigger.authenticationRef.name)).toBeDefined();
      }
      lists.set(
        spec.scaleTargetRef.name,
        spec.triggers.map((t) => t.metadata.listName),
      );
    }
    const prefix = config.QUEUE_PREFIX!;
    expect(lists.get('paperboy-worker')).toEqual([
      `${prefix}:${Queues.digest}:wait`,
      `${prefix}:${Queues.ingest}:wait`,
    ]);
    expect(lists.get('paperboy-mailer')).toEqual([`${prefix}:${Queues.email}:wait`]);

    // A waiting job really sits in that key, as a LIST (KEDA's redis scaler runs LLEN on it).
    for (const listName of [...lists.values()].flat()) {
      const queueName = listName.split(':')[1]!;
      const queue = new Queue(queueName, { connection: redis, prefix: testPrefix });
      await queue.add('probe', {});
      const key = listName.replace(prefix, testPrefix);
      expect(await redis.type(key), key).toBe('list');
      expect(await redis.llen(key)).toBe(1);
      await queue.close();
    }
  });
});
