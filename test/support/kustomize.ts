import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The part of kustomize that infra/k8s uses, so `npm test` can build the overlays without a
 * kustomize binary: resources (files and folders), components, namespace, images, and patches
 * in JSON 6902 form with a kind/name target. Anything else in a kustomization is refused, so a
 * manifest can never rely on a feature this builder silently ignores.
 */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  components?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path: string; target: { kind: string; name: string } }[];
}

type PatchOperation = { op: 'replace' | 'add' | 'remove'; path: string; value?: unknown };

const KNOWN_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'components',
  'namespace',
  'images',
  'patches',
]);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
]);

export function kustomize(folder: string): K8sObject[] {
  const file = join(folder, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${folder} has no kustomization.yaml`);
  const spec = parse(readFileSync(file, 'utf8')) as Kustomization;
  const unknown = Object.keys(spec).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) throw new Error(`${file}: this builder does not support ${unknown.join(', ')}`);

  let objects: K8sObject[] = [];
  for (const resource of spec.resources ?? []) {
    const path = resolve(folder, resource);
    objects.push(...(statSync(path).isDirectory() ? kustomize(path) : readObjects(path)));
  }
  // Components see what the resources built and add to it (kustomize applies them in order).
  for (const component of spec.components ?? []) {
    objects = [...objects, ...kustomize(resolve(folder, component))];
  }
  if (spec.namespace) {
    for (const object of objects) {
      if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = spec.namespace;
    }
  }
  for (const image of spec.images ?? []) setImage(objects, image);
  for (const patch of spec.patches ?? []) {
    const targets = objects.filter(
      (o) => o.kind === patch.target.kind && o.metadata.name === patch.target.name,
    );
    if (targets.length !== 1)
      throw new Error(`${file}: patch ${patch.path} matches ${targets.length} objects`);
    const operations = parse(readFileSync(resolve(folder, patch.path), 'utf8')) as PatchOperation[];
    if (!Array.isArray(operations)) throw new Error(`${patch.path}: only JSON 6902 patches are supported`);
    for (const operation of operations) applyOperation(targets[0]!, operation);
  }
  return objects;
}

function readObjects(path: string): K8sObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

export function podSpecOf(object: K8sObject): { containers: { image: string }[] } | undefined {
  const spec = object.spec as { template?: { spec?: { containers: { image: string }[] } } } | undefined;
  return spec?.template?.spec;
}

function setImage(objects: K8sObject[], image: { name: string; newName?: string; newTag?: string }): void {
  for (const object of objects) {
    for (const container of podSpecOf(object)?.containers ?? []) {
      const [name, tag] = container.image.split(':');
      if (name !== image.name) continue;
      container.image = `${image.newName ?? name}${(image.newTag ?? tag) ? `:${image.newTag ?? tag}` : ''}`;
    }
  }
}

function applyOperation(target: K8sObject, operation: PatchOperation): void {
  const keys = operation.path
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = keys.pop();
  let parent: Record<string, unknown> = target;
  for (const key of keys) {
    const next = parent[key];
    if (typeof next !== 'object' || next === null)
      throw new Error(`patch path ${operation.path} does not exist`);
    parent = next as Record<string, unknown>;
  }
  if (last === undefined) throw new Error('a patch cannot replace the whole object');
  if (operation.op !== 'add' && !(last in parent))
    throw new Error(`patch path ${operation.path} does not exist`);
  if (operation.op === 'remove') delete parent[last];
  else parent[last] = operation.value;
}
