/**
 * deploy/k8s, checked without a cluster: rendered with kustomize semantics (the transforms the
 * kustomization uses - namespace, labels, images - applied here; and compared with
 * `kubectl kustomize` when kubectl is installed, which renders offline), each object validated
 * against the Kubernetes OpenAPI schema by kubernetes-models 4.5 (wrong types and missing
 * fields; it does not catch unknown fields), then the deployment's own rules: gRPC probes on
 * the health port, non-root read-only containers, resources, PDB, NetworkPolicy, NATS private
 * to the pod, and an environment that `kad node` accepts. The bus is authenticated: the sidecar
 * runs the ConfigMap's nats-server.conf, whose user for each pod is exactly that node's subjects
 * (libs/runtime/nats-permissions.ts), and each pod's KAD_NATS_URL carries that user and the
 * Secret's password.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { parseNatsUrl } from '../../libs/bus/nats-bus.js';
import { authorizationBlock } from '../../libs/runtime/nats-permissions.js';
import { SETTINGS, resolveNodeConfig, settingValues } from '../../libs/runtime/node-config.js';
import { K8S_DIR, finalStage, kadServices, loadCompose, loadDockerfile, loadYaml, loadYamlDocuments, stageEnv, yamllint, type K8sObject } from './deploy-files.js';

interface Kustomization {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  resources: string[];
}

/** The kustomization features this renderer implements; anything else fails the test. */
const SUPPORTED_KEYS = new Set(['apiVersion', 'kind', 'namespace', 'labels', 'images', 'resources']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'CustomResourceDefinition']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, walked by the assertions below
type Json = Record<string, any>;

function podSpecOf(object: Json): Json | undefined {
  return object['spec']?.['template']?.['spec'];
}

function containersOf(object: Json): Json[] {
  const pod = podSpecOf(object);
  return pod ? [...(pod['initContainers'] ?? []), ...(pod['containers'] ?? [])] : [];
}

function imageName(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

/** kustomize build, for the features listed in SUPPORTED_KEYS. */
function render(dir: string): K8sObject[] {
  const k = loadYaml<Kustomization>(join(dir, 'kustomization.yaml'));
  for (const key of Object.keys(k)) assert.ok(SUPPORTED_KEYS.has(key), `kustomization.yaml uses ${key}, which this test does not render`);
  const objects = k.resources.flatMap((file) => loadYamlDocuments(join(dir, file)));
  for (const object of objects as Json[]) {
    if (k.namespace && !CLUSTER_SCOPED.has(object['kind'])) object['metadata']['namespace'] = k.namespace;
    for (const { pairs, includeSelectors, includeTemplates } of k.labels ?? []) {
      assert.ok(!includeSelectors, 'labels.includeSelectors is not rendered here (and would change immutable selectors)');
      object['metadata']['labels'] = { ...object['metadata']['labels'], ...pairs };
      if (includeTemplates && object['spec']?.['template']) {
        const meta = (object['spec']['template']['metadata'] ??= {});
        meta['labels'] = { ...meta['labels'], ...pairs };
      }
      if (includeTemplates && Array.isArray(object['spec']?.['volumeClaimTemplates'])) {
        for (const claim of object['spec']['volumeClaimTemplates']) {
          const meta = (claim['metadata'] ??= {});
          meta['labels'] = { ...meta['labels'], ...pairs };
        }
      }
    }
    for (const container of containersOf(object)) {
      const rule = (k.images ?? []).find((i) => i.name === imageName(container['image']));
      if (!rule) continue;
      const name = rule.newName ?? rule.name;
      container['image'] = rule.digest ? `${name}@${rule.digest}` : rule.newTag ? `${name}:${rule.newTag}` : name;
    }
  }
  return objects;
}

function key(o: K8sObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- kubernetes-models constructors take their own typed shapes
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

const objects = render(K8S_DIR) as (K8sObject & Json)[];
const only = (kind: string): Json[] => objects.filter((o) => o.kind === kind);
const one = (kind: string): Json => {
  const found = only(kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0]!;
};

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** A Secret's value, from stringData or base64 data. */
function secretValue(name: string, key: string): string {
  const secret = only('Secret').find((s) => s['metadata']['name'] === name);
  assert.ok(secret, `Secret ${name}`);
  const value = secret['stringData']?.[key] ?? (secret['data']?.[key] !== undefined ? Buffer.from(secret['data'][key], 'base64').toString('utf8') : undefined);
  assert.ok(typeof value === 'string' && value.length > 0, `Secret ${name} has ${key}`);
  return value;
}

/** The kad container's environment as the kubelet builds it ($(VAR) expanded, envFrom read). */
function containerEnvironment(container: Json, podName: string, namespace: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container['envFrom'] ?? []) {
    const cm = only('ConfigMap').find((c) => c['metadata']['name'] === from['configMapRef']?.['name']);
    assert.ok(cm, `envFrom ConfigMap ${from['configMapRef']?.['name']}`);
    Object.assign(env, cm['data']);
  }
  for (const e of container['env'] ?? []) {
    const field = e['valueFrom']?.['fieldRef']?.['fieldPath'];
    const secretRef = e['valueFrom']?.['secretKeyRef'];
    const value = field === 'metadata.name' ? podName : field === 'metadata.namespace' ? namespace : secretRef ? secretValue(secretRef['name'], secretRef['key']) : String(e['value'] ?? '');
    env[e['name']] = value.replace(/\$\((\w+)\)/g, (whole: string, name: string) => env[name] ?? whole);
  }
  return env;
}

describe('deploy/k8s', () => {
  test('kubectl kustomize renders the same objects as this test (when kubectl is installed)', (t) => {
    const kubectl = spawnSync('kubectl', ['kustomize', K8S_DIR], { encoding: 'utf8', timeout: 60_000 });
    if (kubectl.error || kubectl.status !== 0) {
      t.skip(`kubectl kustomize unavailable (${kubectl.error?.message ?? kubectl.stderr.trim()}); the test's own renderer is used`);
      return;
    }
    const theirs = parseAllDocuments(kubectl.stdout).map((d) => d.toJS() as K8sObject);
    assert.deepEqual(theirs.map(key).sort(), objects.map(key).sort());
    for (const object of theirs) {
      assert.deepEqual(sortKeys(object), sortKeys(objects.find((o) => key(o) === key(object))), key(object));
    }
  });

  test('yamllint accepts the manifests (when yamllint is installed)', (t) => {
    const lint = yamllint([K8S_DIR]);
    if (!lint) {
      t.skip('yamllint is not installed (Debian: apt-get install -y yamllint)');
      return;
    }
    assert.ok(lint.ok, lint.output);
  });

  test('every object validates against the Kubernetes schema (kubernetes-models 4.5), and a broken one does not', () => {
    assert.ok(objects.length >= 6);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      assert.ok(Model, `no model for ${object.apiVersion} ${object.kind}`);
      assert.doesNotThrow(() => new Model(object).validate(), `${key(object)} is invalid`);
    }
    const broken = structuredClone(one('StatefulSet'));
    broken['spec']['template']['spec']['containers'][0]['readinessProbe']['grpc']['port'] = 'grpc';
    delete broken['spec']['selector'];
    assert.throws(() => new StatefulSet(broken).validate(), 'a string gRPC probe port and a missing selector are errors');
  });

  test('StatefulSet: stable pod names as KAD_NODE (downward API), a volume claim at KAD_DATA_DIR, peers found through the headless Service', () => {
    const sts = one('StatefulSet');
    const headless = only('Service').find((s) => s['spec']['clusterIP'] === 'None');
    assert.ok(headless, 'a headless Service');
    assert.equal(sts['spec']['serviceName'], headless['metadata']['name']);
    assert.ok(matches(headless['spec']['selector'], sts['spec']['template']['metadata']['labels']), 'headless Service selects the pods');
    assert.equal(headless['spec']['publishNotReadyAddresses'], true, 'peers resolve before they are Ready (bootstrap)');
    assert.ok(sts['spec']['replicas'] >= 3);
    const kad = sts['spec']['template']['spec']['containers'].find((c: Json) => c['name'] === 'kad');
    assert.ok(kad, 'a kad container');
    assert.deepEqual(kad['args'], ['node']);
    const ns = sts['metadata']['namespace'];
    const env = containerEnvironment(kad, `${sts['metadata']['name']}-1`, ns);
    const podNameVar = kad['env'].find((e: Json) => e['valueFrom']?.['fieldRef']?.['fieldPath'] === 'metadata.name');
    assert.ok(podNameVar, 'the pod name comes from the downward API');
    assert.equal(kad['env'].find((e: Json) => e['name'] === 'KAD_NODE')['value'], `$(${podNameVar['name']})`);
    const svc = headless['metadata']['name'];
    assert.equal(env['KAD_NODE'], `${sts['metadata']['name']}-1`);
    assert.equal(env['KAD_ADVERTISE'], `${sts['metadata']['name']}-1.${svc}.${ns}.svc:7400`);
    assert.equal(env['KAD_BOOTSTRAP'], `${sts['metadata']['name']}-0.${svc}.${ns}.svc:7400`);
    const claim = sts['spec']['volumeClaimTemplates'].find((c: Json) => kad['volumeMounts'].some((m: Json) => m['name'] === c['metadata']['name'] && m['mountPath'] === env['KAD_DATA_DIR']));
    assert.ok(claim, 'a volumeClaimTemplate mounted at KAD_DATA_DIR');
    // Every KAD_* key is a real setting, and the pod's environment is one `kad node` accepts.
    const known = new Set<string>(SETTINGS.map((s) => s.env));
    for (const name of Object.keys(env).filter((k) => k.startsWith('KAD_'))) assert.ok(known.has(name), `${name} is not a KAD_* setting`);
    const imageEnv = stageEnv(finalStage(loadDockerfile()));
    const config = resolveNodeConfig(settingValues({}, { ...imageEnv, ...env }));
    assert.deepEqual(config.natsUrl?.map((url) => parseNatsUrl(url).url), ['nats://127.0.0.1:4222']);
  });

  test('the image is the one docker-compose.yml builds', () => {
    const composeImages = new Set(kadServices(loadCompose()).map(([, s]) => s.image));
    const kad = containersOf(one('StatefulSet')).find((c) => c['name'] === 'kad')!;
    assert.deepEqual([...composeImages], [kad['image']]);
  });

  test('probes: Kubernetes-native gRPC probes on the health port (startup, readiness, liveness)', () => {
    const kad = containersOf(one('StatefulSet')).find((c) => c['name'] === 'kad')!;
    const port = kad['ports'].find((p: Json) => p['name'] === 'grpc')['containerPort'];
    assert.equal(port, 7400);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      assert.ok(kad[probe], `${probe} present`);
      assert.deepEqual(Object.keys(kad[probe]).filter((k) => ['grpc', 'httpGet', 'tcpSocket', 'exec'].includes(k)), ['grpc'], `${probe} is a gRPC probe`);
      assert.equal(kad[probe]['grpc']['port'], port, `${probe} asks the health service on the node port`);
    }
  });

  test('security: non-root, read-only root filesystem, no privilege escalation, capabilities dropped; requests and limits', () => {
    const sts = one('StatefulSet');
    const pod = podSpecOf(sts)!;
    assert.equal(pod['securityContext']['runAsNonRoot'], true);
    assert.ok(pod['securityContext']['runAsUser'] > 0);
    assert.equal(pod['securityContext']['seccompProfile']['type'], 'RuntimeDefault');
    assert.equal(pod['automountServiceAccountToken'], false);
    // A Service named `kad` would otherwise inject KAD_SERVICE_HOST, KAD_PORT, ... variables.
    assert.equal(pod['enableServiceLinks'], false, 'no service-link variables among the KAD_* settings');
    const containers = containersOf(sts);
    assert.equal(containers.length, 2, 'kad and its NATS sidecar');
    for (const c of containers) {
      const sc = c['securityContext'];
      assert.equal(sc['readOnlyRootFilesystem'], true, `${c['name']}: readOnlyRootFilesystem`);
      assert.equal(sc['runAsNonRoot'] ?? pod['securityContext']['runAsNonRoot'], true, `${c['name']}: runAsNonRoot`);
      assert.equal(sc['allowPrivilegeEscalation'], false, `${c['name']}: allowPrivilegeEscalation`);
      assert.deepEqual(sc['capabilities']['drop'], ['ALL'], `${c['name']}: capabilities`);
      for (const kind of ['requests', 'limits']) {
        assert.ok(c['resources'][kind]['cpu'] && c['resources'][kind]['memory'], `${c['name']}: ${kind}`);
      }
    }
  });

  test('NATS: a sidecar per pod, bound to 127.0.0.1, started before the node (native sidecar)', () => {
    const pod = podSpecOf(one('StatefulSet'))!;
    const nats = (pod['initContainers'] ?? []).find((c: Json) => String(c['image']).startsWith('nats:'));
    assert.ok(nats, 'NATS runs in an init container');
    assert.equal(nats['restartPolicy'], 'Always', 'a native sidecar: it keeps running beside the node');
    const args: string[] = nats['args'];
    assert.equal(args[args.indexOf('--addr') + 1], '127.0.0.1', 'nats-server listens on loopback only');
    assert.ok(nats['startupProbe'], 'the node starts once NATS is up');
  });

  test('PodDisruptionBudget and client Service select the node pods', () => {
    const labels = one('StatefulSet')['spec']['template']['metadata']['labels'];
    const pdb = one('PodDisruptionBudget');
    assert.ok(matches(pdb['spec']['selector']['matchLabels'], labels), 'PDB selects the pods');
    assert.ok(pdb['spec']['maxUnavailable'] === 1 || pdb['spec']['minAvailable'] >= 2);
    const client = only('Service').find((s) => s['spec']['clusterIP'] !== 'None');
    assert.ok(client, 'a client Service');
    assert.ok(matches(client['spec']['selector'], labels));
    assert.deepEqual(client['spec']['ports'].map((p: Json) => p['port']), [7400]);
  });

  test('NetworkPolicy: only the cluster and labelled clients reach port 7400; nothing reaches NATS', () => {
    const policy = one('NetworkPolicy');
    const labels = one('StatefulSet')['spec']['template']['metadata']['labels'];
    assert.ok(matches(policy['spec']['podSelector']['matchLabels'], labels), 'the policy covers the node pods');
    assert.ok(policy['spec']['policyTypes'].includes('Ingress'));
    const rules: Json[] = policy['spec']['ingress'];
    assert.ok(rules.length >= 1);
    const ports = rules.flatMap((r) => r['ports'] ?? []).map((p: Json) => p['port']);
    assert.ok(ports.length > 0 && ports.every((p) => p === 7400), `only 7400 open: ${ports.join(', ')}`);
    assert.ok(rules.every((r) => Array.isArray(r['from']) && r['from'].length > 0), 'every rule names who may connect (no allow-all)');
    assert.ok(rules.some((r) => r['from'].some((f: Json) => f['podSelector'] && !f['namespaceSelector'] && matches(f['podSelector']['matchLabels'], labels))), 'peers: the cluster\'s own pods');
  });
  test('the bus is authenticated: the NATS sidecar runs the ConfigMap nats-server.conf, whose user for every pod is exactly its node\'s subjects', () => {
    const sts = one('StatefulSet');
    const pod = podSpecOf(sts)!;
    const nats = (pod['initContainers'] ?? []).find((c: Json) => String(c['image']).startsWith('nats:'));
    const args: string[] = nats['args'];
    const at = args.findIndex((a) => a === '--config' || a === '-c');
    assert.ok(at >= 0, 'nats-server is started with --config');
    const path = args[at + 1]!;
    const mount = (nats['volumeMounts'] ?? []).find((m: Json) => m['mountPath'] === dirname(path));
    assert.ok(mount, `a volume mounted at ${dirname(path)}`);
    const volume = pod['volumes'].find((v: Json) => v['name'] === mount['name']);
    const configMap = only('ConfigMap').find((c) => c['metadata']['name'] === volume?.['configMap']?.['name']);
    assert.ok(configMap, 'the config comes from a ConfigMap');
    const text: string = configMap['data'][basename(path)];
    assert.ok(text, `the ConfigMap has ${basename(path)}`);

    // The sidecar reads the passwords from its environment: the Secret's values.
    const sidecarEnv = containerEnvironment(nats, `${sts['metadata']['name']}-0`, sts['metadata']['namespace']);
    const users = [...text.matchAll(/user: "([^"]+)"/g)].map((m) => m[1]!);
    const nodeUsers = users.filter((u) => u !== 'kad-monitor');
    assert.ok(users.includes('kad-monitor'), 'a kad-monitor user for NATS tooling');
    assert.ok(nodeUsers.length >= sts['spec']['replicas'], `a user for each of the ${sts['spec']['replicas']} replicas`);
    const expected = authorizationBlock(
      nodeUsers.map((u, i) => ({ node: `${sts['metadata']['name']}-${i}`, user: u, password: { env: 'NATS_PASSWORD' } })),
      { user: 'kad-monitor', password: { env: 'NATS_MONITOR_PASSWORD' } },
    );
    assert.ok(text.includes(expected), `the ConfigMap's authorization block is not authorizationBlock() of the pods' users; expected:\n${expected}`);
    assert.equal(text.match(/^authorization\s*\{/gm)?.length, 1, 'one authorization block');
    for (const variable of ['NATS_PASSWORD', 'NATS_MONITOR_PASSWORD']) assert.ok(sidecarEnv[variable], `the sidecar has ${variable}`);

    // Every pod connects as its own node's user, with the password the sidecar checks.
    const kad = pod['containers'].find((c: Json) => c['name'] === 'kad');
    for (let i = 0; i < sts['spec']['replicas']; i++) {
      const podName = `${sts['metadata']['name']}-${i}`;
      const env = containerEnvironment(kad, podName, sts['metadata']['namespace']);
      const url = parseNatsUrl(env['KAD_NATS_URL'] ?? '');
      assert.equal(url.url, 'nats://127.0.0.1:4222', `${podName}: the pod's own NATS`);
      assert.equal(url.user, env['KAD_NODE'], `${podName}: connects as its node's user`);
      assert.equal(nodeUsers[i], podName, `${podName}: whose rules in the config are its own node's`);
      assert.equal(url.pass, sidecarEnv['NATS_PASSWORD'], `${podName}: with the password the sidecar's config reads`);
    }

    // nats-server itself accepts the file, with the passwords in its environment.
    const dir = mkdtempSync(join(tmpdir(), 'kad-k8s-nats-'));
    try {
      writeFileSync(join(dir, 'nats-server.conf'), text);
      const check = spawnSync('nats-server', ['-c', join(dir, 'nats-server.conf'), '-t'], { encoding: 'utf8', env: { ...process.env, ...sidecarEnv } });
      if (!check.error) assert.equal(check.status, 0, `nats-server -t rejects the ConfigMap's config:\n${check.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
