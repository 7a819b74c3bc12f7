/**
 * deploy/k8s read the way Kubernetes reads it, for the tests in test/deploy:
 * - `renderKustomization`: kustomize build, for the features the manifests use: resources (files
 *   and other kustomizations), namespace, labels, images, replicas, and patches (strategic merge
 *   and JSON6902), applied in kustomize's order (patches, then namespace, labels, replicas,
 *   images). Any other kustomization key fails, so a manifest never silently outgrows it;
 *   k8s-validation.test.ts also compares the result with `kubectl kustomize` where installed.
 * - typed views of the objects the tests read (StatefulSet, pod spec, containers, probes, ...);
 * - a container's environment, command and arguments as the kubelet builds them: envFrom, the
 *   downward API, ConfigMap and Secret references, and $(VAR) expansion from the variables
 *   defined before (so an entry that refers to a later one stays unexpanded, as in a cluster).
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { imageName, loadYaml, loadYamlDocuments, type K8sObject } from './deploy-files.js';

// ---------------------------------------------------------------- JSON values

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asJson(object: K8sObject): JsonObject {
  return object as unknown as JsonObject;
}

function asObjects(objects: JsonObject[]): K8sObject[] {
  return objects as unknown as K8sObject[];
}

// ---------------------------------------------------------------- kustomize

interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: { path?: string; patch?: string; target?: PatchTarget }[];
  resources?: string[];
}

/** The kustomization features this renderer implements; any other key fails the render. */
export const SUPPORTED_KUSTOMIZATION_KEYS: ReadonlySet<string> = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'labels',
  'images',
  'replicas',
  'patches',
  'resources',
]);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'CustomResourceDefinition',
]);
const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** `kustomize build dir`, for the features in SUPPORTED_KUSTOMIZATION_KEYS. */
export function renderKustomization(dir: string): K8sObject[] {
  const k = loadYaml<Kustomization>(join(dir, 'kustomization.yaml'));
  for (const key of Object.keys(k))
    assert.ok(SUPPORTED_KUSTOMIZATION_KEYS.has(key), `${dir}/kustomization.yaml uses ${key}, which the tests' renderer does not implement`);
  let objects: JsonObject[] = (k.resources ?? []).flatMap((entry) => {
    const path = join(dir, entry);
    return (statSync(path).isDirectory() ? renderKustomization(path) : loadYamlDocuments(path)).map(asJson);
  });
  for (const patch of k.patches ?? []) objects = applyPatch(objects, patch, dir);
  for (const object of objects) {
    const metadata = object['metadata'];
    assert.ok(isObject(metadata), 'every object has metadata');
    if (k.namespace && !CLUSTER_SCOPED.has(String(object['kind']))) metadata['namespace'] = k.namespace;
    for (const { pairs, includeSelectors, includeTemplates } of k.labels ?? []) {
      assert.ok(!includeSelectors, 'labels.includeSelectors is not rendered here (and would change immutable selectors)');
      addLabels(metadata, pairs);
      const spec = object['spec'];
      if (!includeTemplates || !isObject(spec)) continue;
      if (isObject(spec['template'])) addLabels(spec['template'], pairs, 'metadata');
      const claims = spec['volumeClaimTemplates'];
      if (Array.isArray(claims)) for (const claim of claims) if (isObject(claim)) addLabels(claim, pairs, 'metadata');
    }
    for (const rule of k.replicas ?? []) {
      const spec = object['spec'];
      if (SCALABLE.has(String(object['kind'])) && metadata['name'] === rule.name && isObject(spec)) spec['replicas'] = rule.count;
    }
    for (const container of podContainersOf(object)) {
      const image = String(container['image']);
      const rule = (k.images ?? []).find((i) => i.name === imageName(image));
      if (!rule) continue;
      const name = rule.newName ?? rule.name;
      const tag = image.slice(imageName(image).length);
      container['image'] = rule.digest ? `${name}@${rule.digest}` : rule.newTag ? `${name}:${rule.newTag}` : `${name}${tag}`;
    }
  }
  return asObjects(objects);
}

/** Adds labels to `holder.labels`, or to `holder[within].labels` (made if missing). */
function addLabels(holder: JsonObject, pairs: Record<string, string>, within?: string): void {
  let target = holder;
  if (within !== undefined) {
    const inner = holder[within];
    target = isObject(inner) ? inner : (holder[within] = {});
  }
  const labels = target['labels'];
  target['labels'] = { ...(isObject(labels) ? labels : {}), ...pairs };
}

function podContainersOf(object: JsonObject): JsonObject[] {
  const spec = object['spec'];
  const template = isObject(spec) ? spec['template'] : undefined;
  const pod = isObject(template) ? template['spec'] : undefined;
  if (!isObject(pod)) return [];
  return ['initContainers', 'containers'].flatMap((field) => {
    const list = pod[field];
    return Array.isArray(list) ? list.filter(isObject) : [];
  });
}

function matchesTarget(object: JsonObject, target: PatchTarget): boolean {
  const [group, version] = String(object['apiVersion']).includes('/')
    ? String(object['apiVersion']).split('/')
    : ['', String(object['apiVersion'])];
  const metadata = object['metadata'];
  const name = isObject(metadata) ? metadata['name'] : undefined;
  const namespace = isObject(metadata) ? metadata['namespace'] : undefined;
  return (
    (target.group === undefined || target.group === group) &&
    (target.version === undefined || target.version === version) &&
    (target.kind === undefined || target.kind === object['kind']) &&
    (target.name === undefined || target.name === name) &&
    (target.namespace === undefined || target.namespace === namespace)
  );
}

function applyPatch(objects: JsonObject[], entry: { path?: string; patch?: string; target?: PatchTarget }, dir: string): JsonObject[] {
  const text = entry.path !== undefined ? readFileSync(join(dir, entry.path), 'utf8') : entry.patch;
  assert.ok(text !== undefined, `a patch in ${dir} has neither path nor patch`);
  const docs = parseAllDocuments(text).map((d) => d.toJS() as JsonValue);
  const where = entry.path ?? 'an inline patch';
  if (docs.length === 1 && Array.isArray(docs[0])) {
    // JSON6902: a list of operations, applied to every object the target selects.
    const ops = docs[0];
    assert.ok(entry.target, `${where}: a JSON6902 patch needs a target`);
    const target = entry.target;
    assert.ok(
      objects.some((o) => matchesTarget(o, target)),
      `${where} selects no object`,
    );
    return objects.map((o) => (matchesTarget(o, target) ? jsonPatch(o, ops, where) : o));
  }
  let result = objects;
  for (const doc of docs) {
    assert.ok(isObject(doc) && isObject(doc['metadata']), `${where}: a strategic-merge patch is an object with metadata`);
    const [group, version] = String(doc['apiVersion']).includes('/')
      ? String(doc['apiVersion']).split('/')
      : ['', String(doc['apiVersion'])];
    const namespace = doc['metadata']['namespace'];
    const target: PatchTarget = entry.target ?? {
      group,
      version,
      kind: String(doc['kind']),
      name: String(doc['metadata']['name']),
      ...(typeof namespace === 'string' ? { namespace } : {}),
    };
    assert.ok(
      result.some((o) => matchesTarget(o, target)),
      `${where} patches no object (${target.kind}/${target.name})`,
    );
    result =
      doc['$patch'] === 'delete'
        ? result.filter((o) => !matchesTarget(o, target))
        : result.map((o) => (matchesTarget(o, target) ? (strategicMerge(o, doc, []) as JsonObject) : o));
  }
  return result;
}

/**
 * The merge key of a list in a strategic-merge patch (the patchMergeKey of the Kubernetes API
 * types); lists without one are replaced whole.
 */
function mergeKeyOf(path: readonly string[]): string | undefined {
  const field = path[path.length - 1];
  const inContainer = path.includes('containers') || path.includes('initContainers') || path.includes('ephemeralContainers');
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'env':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ports':
      return inContainer ? 'containerPort' : 'port';
    case 'topologySpreadConstraints':
      return 'topologyKey';
    default:
      return undefined;
  }
}

/** A strategic-merge patch: maps merge, `null` deletes a field, lists with a merge key merge by
 * it (`$patch: delete` removes an element), other lists and scalars are replaced. */
function strategicMerge(dest: JsonValue | undefined, patch: JsonValue, path: readonly string[]): JsonValue {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch['$patch'] === 'replace') return withoutDirectives(patch);
  const out: JsonObject = isObject(dest) ? { ...dest } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch') continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = out[key];
    const mergeKey = mergeKeyOf([...path, key]);
    if (Array.isArray(value) && mergeKey !== undefined && Array.isArray(current))
      out[key] = mergeList(current, value, mergeKey, [...path, key]);
    else if (Array.isArray(value)) out[key] = value.map((v) => (isObject(v) ? withoutDirectives(v) : structuredClone(v)));
    else if (isObject(value)) out[key] = strategicMerge(current, value, [...path, key]);
    else out[key] = value;
  }
  return out;
}

/**
 * Merges two lists by `key` the way kustomize does (kyaml's default, kustomize issue #4449):
 * the patch's elements first, in the patch's order (each merged into the base's element of the
 * same key), then the base's elements the patch does not name, in their order. So a new `env`
 * entry lands before the base's: one that refers to a base variable with $(VAR) must list that
 * variable in the patch too, above itself.
 */
function mergeList(dest: JsonValue[], patch: JsonValue[], key: string, path: readonly string[]): JsonValue[] {
  const idOf = (item: JsonValue): string => {
    assert.ok(isObject(item) && item[key] !== undefined, `${path.join('.')}: every element has ${key}`);
    return String(item[key]);
  };
  const named = new Set(patch.map(idOf));
  const merged: JsonValue[] = [];
  for (const item of patch) {
    if (isObject(item) && item['$patch'] === 'delete') continue;
    const existing = dest.find((d) => idOf(d) === idOf(item));
    merged.push(existing === undefined ? strategicMerge(undefined, item, path) : strategicMerge(existing, item, path));
  }
  return [...merged, ...dest.filter((d) => !named.has(idOf(d)))];
}

function withoutDirectives(value: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== '$patch')
      .map(([k, v]) => [k, isObject(v) ? withoutDirectives(v) : structuredClone(v)]),
  );
}

/** RFC 6902 add, replace and remove (the operations overlays use). */
function jsonPatch(target: JsonObject, ops: JsonValue[], where: string): JsonObject {
  const doc = structuredClone(target);
  for (const op of ops) {
    assert.ok(isObject(op) && typeof op['op'] === 'string' && typeof op['path'] === 'string', `${where}: an operation has op and path`);
    const tokens = op['path']
      .split('/')
      .slice(1)
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = tokens.pop();
    assert.ok(last !== undefined, `${where}: ${op['op']} of the whole document`);
    let parent: JsonValue = doc;
    for (const token of tokens) {
      const next: JsonValue | undefined = Array.isArray(parent) ? parent[Number(token)] : isObject(parent) ? parent[token] : undefined;
      assert.ok(next !== undefined, `${where}: ${op['path']} does not exist`);
      parent = next;
    }
    const value = op['value'];
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      assert.ok(Number.isInteger(index) && index >= 0 && index <= parent.length, `${where}: ${op['path']}: no index ${last}`);
      if (op['op'] === 'add') parent.splice(index, 0, structuredClone(value ?? null));
      else if (op['op'] === 'replace' && index < parent.length) parent[index] = structuredClone(value ?? null);
      else if (op['op'] === 'remove' && index < parent.length) parent.splice(index, 1);
      else assert.fail(`${where}: cannot ${op['op']} ${op['path']}`);
    } else if (isObject(parent)) {
      if (op['op'] === 'add' || (op['op'] === 'replace' && last in parent)) parent[last] = structuredClone(value ?? null);
      else if (op['op'] === 'remove' && last in parent) delete parent[last];
      else assert.fail(`${where}: cannot ${op['op']} ${op['path']}`);
    } else {
      assert.fail(`${where}: ${op['path']}: the parent is not a list or a map`);
    }
  }
  return doc;
}

// ---------------------------------------------------------------- typed views

export interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    secretKeyRef?: KeyRef;
    configMapKeyRef?: KeyRef;
    resourceFieldRef?: { resource: string };
  };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface Probe {
  exec?: { command: string[] };
  grpc?: { port: number; service?: string };
  tcpSocket?: { port: number | string; host?: string };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
}

export interface PodSecurityContext extends SecurityContext {
  fsGroup?: number;
  supplementalGroups?: number[];
  seccompProfile?: { type: string };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

export type ResourceList = Record<string, string | number>;

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  volumeMounts?: VolumeMount[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  /** `Always` on an init container: a native sidecar. */
  restartPolicy?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  securityContext?: SecurityContext;
}

export interface KeyToPath {
  key: string;
  path: string;
}

export interface Volume {
  name: string;
  emptyDir?: { sizeLimit?: string; medium?: string };
  configMap?: { name: string; items?: KeyToPath[]; defaultMode?: number };
  secret?: { secretName: string; items?: KeyToPath[]; defaultMode?: number };
  persistentVolumeClaim?: { claimName: string };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
}

export interface PodAffinityTerm {
  topologyKey: string;
  labelSelector?: LabelSelector;
}

export interface PodSpec {
  initContainers?: Container[];
  containers: Container[];
  volumes?: Volume[];
  securityContext?: PodSecurityContext;
  enableServiceLinks?: boolean;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
  affinity?: {
    podAntiAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
      preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: PodAffinityTerm }[];
    };
  };
  topologySpreadConstraints?: { maxSkew: number; topologyKey: string; whenUnsatisfiable: string; labelSelector?: LabelSelector }[];
}

export interface StatefulSetObject extends K8sObject {
  spec: {
    serviceName: string;
    replicas?: number;
    podManagementPolicy?: string;
    minReadySeconds?: number;
    selector: LabelSelector;
    template: { metadata: { labels?: Record<string, string> }; spec: PodSpec };
    volumeClaimTemplates?: {
      metadata: { name: string; labels?: Record<string, string> };
      spec: { accessModes: string[]; resources: { requests: { storage: string } } };
    }[];
  };
}

export interface DataObject extends K8sObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface ServiceObject extends K8sObject {
  spec: {
    clusterIP?: string;
    publishNotReadyAddresses?: boolean;
    selector?: Record<string, string>;
    ports?: { name?: string; port: number; targetPort?: number | string }[];
  };
}

export interface PodDisruptionBudgetObject extends K8sObject {
  spec: { maxUnavailable?: number | string; minAvailable?: number | string; selector: LabelSelector };
}

export function objectsOfKind<T extends K8sObject>(objects: readonly K8sObject[], kind: string): T[] {
  return objects.filter((o): o is T => o.kind === kind);
}

export function oneOfKind<T extends K8sObject>(objects: readonly K8sObject[], kind: string): T {
  const found = objectsOfKind<T>(objects, kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0]!;
}

export function podContainers(pod: PodSpec): Container[] {
  return [...(pod.initContainers ?? []), ...pod.containers];
}

export function containerNamed(pod: PodSpec, name: string): Container {
  const container = podContainers(pod).find((c) => c.name === name);
  assert.ok(container, `a container ${name}`);
  return container;
}

/** A native sidecar: an init container that keeps running (Kubernetes 1.29+). */
export function isSidecar(pod: PodSpec, container: Container): boolean {
  return (pod.initContainers ?? []).includes(container) && container.restartPolicy === 'Always';
}

/** A ConfigMap's data, or a Secret's (stringData, then base64 data decoded). */
export function dataOf(
  objects: readonly K8sObject[],
  kind: 'ConfigMap' | 'Secret',
  name: string,
  optional = false,
): Record<string, string> | undefined {
  const object = objectsOfKind<DataObject>(objects, kind).find((o) => o.metadata.name === name);
  if (!object) {
    assert.ok(optional, `${kind} ${name} exists`);
    return undefined;
  }
  const data = Object.fromEntries(
    Object.entries(object.data ?? {}).map(([k, v]) => [k, kind === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v]),
  );
  return { ...data, ...(object.stringData ?? {}) };
}

function keyOf(objects: readonly K8sObject[], kind: 'ConfigMap' | 'Secret', ref: KeyRef): string | undefined {
  const value = dataOf(objects, kind, ref.name, ref.optional)?.[ref.key];
  assert.ok(value !== undefined || ref.optional, `${kind} ${ref.name} has ${ref.key}`);
  return value;
}

// ---------------------------------------------------------------- pods

/** What the downward API can tell a pod about itself. */
export interface PodIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** status.podIP; unknown before the pod has an address. */
  readonly ip?: string;
  readonly nodeName?: string;
}

/** Pod `ordinal` of a StatefulSet: its name and the labels the controller gives it. */
export function statefulSetPod(sts: StatefulSetObject, ordinal: number, ip?: string): PodIdentity {
  const name = `${sts.metadata.name}-${ordinal}`;
  return {
    name,
    namespace: sts.metadata.namespace ?? 'default',
    labels: {
      ...sts.spec.template.metadata.labels,
      'statefulset.kubernetes.io/pod-name': name,
      'apps.kubernetes.io/pod-index': String(ordinal),
    },
    ...(ip !== undefined ? { ip } : {}),
  };
}

function fieldValue(fieldPath: string, pod: PodIdentity): string {
  const label = /^metadata\.labels\['(.+)'\]$/.exec(fieldPath);
  if (label) return pod.labels[label[1]!] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return pod.name;
    case 'metadata.namespace':
      return pod.namespace;
    case 'status.podIP':
      assert.ok(pod.ip !== undefined, 'status.podIP of a pod with no address');
      return pod.ip;
    case 'spec.nodeName':
      return pod.nodeName ?? 'node';
    default:
      return assert.fail(`fieldRef ${fieldPath} is not rendered here`);
  }
}

const REFERENCE = /\$\$|\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g;

/** Kubernetes' $(VAR) expansion: a defined variable's value, `$$` a `$`, anything else as is. */
export function expandReferences(value: string, env: Readonly<Record<string, string>>): string {
  return value.replace(REFERENCE, (whole: string, name?: string) => (name === undefined ? '$' : (env[name] ?? whole)));
}

/** The $(VAR) references of `value` (escaped `$$(...)` left out). */
function referencesOf(value: string): string[] {
  return [...value.matchAll(REFERENCE)].map((m) => m[1]).filter((n): n is string => n !== undefined);
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** The container's environment as the kubelet builds it: envFrom in order, then env in order,
 * each `value` expanded from what is defined so far (service links are not added: every pod
 * here disables them). `objects` holds the ConfigMaps and Secrets it may refer to. */
export function containerEnvironment(container: Container, pod: PodIdentity, objects: readonly K8sObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    assert.ok(ref, `${container.name}: envFrom names a ConfigMap or a Secret`);
    const data = dataOf(objects, from.configMapRef ? 'ConfigMap' : 'Secret', ref.name, ref.optional) ?? {};
    for (const [key, value] of Object.entries(data))
      if (ENV_NAME.test(`${from.prefix ?? ''}${key}`)) env[`${from.prefix ?? ''}${key}`] = value;
  }
  for (const e of container.env ?? []) {
    const from = e.valueFrom;
    let value: string | undefined;
    if (from?.fieldRef) value = fieldValue(from.fieldRef.fieldPath, pod);
    else if (from?.secretKeyRef) value = keyOf(objects, 'Secret', from.secretKeyRef);
    else if (from?.configMapKeyRef) value = keyOf(objects, 'ConfigMap', from.configMapKeyRef);
    else if (from) assert.fail(`${container.name}: ${e.name}: valueFrom ${Object.keys(from).join(', ')} is not rendered here`);
    else value = expandReferences(e.value ?? '', env);
    if (value !== undefined) env[e.name] = value;
  }
  return env;
}

/** command and args, $(VAR)-expanded from the container's environment as the kubelet does. */
export function containerInvocation(
  container: Container,
  env: Readonly<Record<string, string>>,
): { command: string[] | undefined; args: string[] | undefined } {
  return {
    command: container.command?.map((a) => expandReferences(a, env)),
    args: container.args?.map((a) => expandReferences(a, env)),
  };
}

/**
 * $(VAR) references Kubernetes would leave unexpanded: in env, to a variable not defined above
 * the entry (nor by envFrom); in command and args, to one the container does not define. Each
 * as `<container>: <where> -> $(VAR)`.
 */
export function danglingReferences(container: Container, objects: readonly K8sObject[]): string[] {
  const defined = new Set<string>();
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (ref)
      for (const key of Object.keys(dataOf(objects, from.configMapRef ? 'ConfigMap' : 'Secret', ref.name, true) ?? {}))
        defined.add(`${from.prefix ?? ''}${key}`);
  }
  const dangling: string[] = [];
  for (const e of container.env ?? []) {
    if (e.value !== undefined)
      for (const name of referencesOf(e.value)) if (!defined.has(name)) dangling.push(`${container.name}: env ${e.name} -> $(${name})`);
    defined.add(e.name);
  }
  for (const [field, list] of [
    ['command', container.command],
    ['args', container.args],
  ] as const) {
    for (const arg of list ?? [])
      for (const name of referencesOf(arg)) if (!defined.has(name)) dangling.push(`${container.name}: ${field} ${arg} -> $(${name})`);
  }
  return dangling;
}

/** A container port by number or by name. */
export function portOf(container: Container, port: number | string): number {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port);
  assert.ok(named, `${container.name}: no port named ${port}`);
  return named.containerPort;
}

/** A Kubernetes quantity in base units (cores, bytes): `250m` -> 0.25, `1Gi` -> 2^30. */
export function quantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value);
  assert.ok(m, `quantity ${value}`);
  const factor: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(m[1]) * (m[2] === undefined ? 1 : factor[m[2]]!);
}
