/**
 * deploy/k8s, checked without a cluster: the base and the production overlay rendered with
 * kustomize semantics (test/deploy/k8s-manifests.ts: resources, namespace, labels, images,
 * replicas, strategic-merge and JSON6902 patches; compared with `kubectl kustomize` when kubectl
 * is installed, which renders offline), each object validated against the Kubernetes OpenAPI
 * schema by kubernetes-models 4.5 (wrong types and missing fields; it does not catch unknown
 * fields), then the deployment's own rules: gRPC probes on the health port, non-root read-only
 * containers, resources, PDB, NetworkPolicy, NATS private to the pod and on compose's NATS image,
 * and an environment that `kad node` accepts, every $(VAR) in it expanding. The bus is
 * authenticated: the sidecar runs the ConfigMap's nats-server.conf, whose user for each pod is
 * exactly that node's subjects (libs/bus/nats-permissions.ts), and each pod's KAD_NATS_URL
 * carries that user and the Secret's password. The overlay: no credentials shipped, more
 * replicas, larger resources, mutual TLS from the Secret kad-tls with probes that speak it,
 * one pod per machine, and everything else the base's.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { parseNatsUrl, authorizationBlock } from '../../libs/bus/index.js';
import { SETTINGS, resolveNodeConfig, settingValues } from '../../libs/runtime/index.js';
import {
  K8S_BASE_DIR,
  K8S_DIR,
  K8S_PRODUCTION_DIR,
  REPO_ROOT,
  finalStage,
  imageOf,
  kadServices,
  loadCompose,
  loadDockerfile,
  stageEnv,
  yamllint,
  type K8sObject,
} from './deploy-files.js';
import {
  containerEnvironment as podEnvironment,
  containerNamed,
  danglingReferences,
  objectsOfKind,
  oneOfKind,
  podContainers,
  quantity,
  renderKustomization,
  statefulSetPod,
  type Container,
  type PodDisruptionBudgetObject,
  type StatefulSetObject,
} from './k8s-manifests.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, walked by the assertions below
type Json = Record<string, any>;

function podSpecOf(object: Json): Json | undefined {
  return object['spec']?.['template']?.['spec'];
}

function containersOf(object: Json): Json[] {
  const pod = podSpecOf(object);
  return pod ? [...(pod['initContainers'] ?? []), ...(pod['containers'] ?? [])] : [];
}

function key(o: K8sObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
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

const objects = renderKustomization(K8S_BASE_DIR) as (K8sObject & Json)[];
const only = (kind: string): Json[] => objects.filter((o) => o.kind === kind);
const one = (kind: string): Json => {
  const found = only(kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0]!;
};

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The environment of `container` in pod `ordinal` of the StatefulSet, as the kubelet builds it. */
function containerEnvironment(container: Json, ordinal: number, from: readonly K8sObject[] = objects): Record<string, string> {
  return podEnvironment(container as Container, statefulSetPod(one('StatefulSet') as StatefulSetObject, ordinal), from);
}

describe('deploy/k8s', () => {
  for (const dir of [K8S_BASE_DIR, K8S_PRODUCTION_DIR]) {
    test(`kubectl kustomize renders the same objects as this test's renderer: ${relative(REPO_ROOT, dir)} (when kubectl is installed)`, (t) => {
      const kubectl = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
      if (kubectl.error || kubectl.status !== 0) {
        t.skip(`kubectl kustomize unavailable (${kubectl.error?.message ?? kubectl.stderr.trim()}); the test's own renderer is used`);
        return;
      }
      const ours = renderKustomization(dir);
      const theirs = parseAllDocuments(kubectl.stdout).map((d) => d.toJS() as K8sObject);
      assert.deepEqual(theirs.map(key).sort(), ours.map(key).sort());
      for (const object of theirs) {
        // Lists compared in order: the order of env entries decides what $(VAR) expands to.
        assert.deepEqual(sortKeys(object), sortKeys(ours.find((o) => key(o) === key(object))), key(object));
      }
    });
  }

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
    broken['spec']['template']['spec']['containers'][0]['readinessProbe'] = { grpc: { port: 'grpc' } };
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
    const env = containerEnvironment(kad, 1);
    const podNameVar = kad['env'].find((e: Json) => e['valueFrom']?.['fieldRef']?.['fieldPath'] === 'metadata.name');
    assert.ok(podNameVar, 'the pod name comes from the downward API');
    assert.equal(kad['env'].find((e: Json) => e['name'] === 'KAD_NODE')['value'], `$(${podNameVar['name']})`);
    const svc = headless['metadata']['name'];
    assert.equal(env['KAD_NODE'], `${sts['metadata']['name']}-1`);
    assert.equal(env['KAD_ADVERTISE'], `${sts['metadata']['name']}-1.${svc}.${ns}.svc:7400`);
    assert.equal(env['KAD_BOOTSTRAP'], `${sts['metadata']['name']}-0.${svc}.${ns}.svc:7400`);
    const claim = sts['spec']['volumeClaimTemplates'].find((c: Json) =>
      kad['volumeMounts'].some((m: Json) => m['name'] === c['metadata']['name'] && m['mountPath'] === env['KAD_DATA_DIR']),
    );
    assert.ok(claim, 'a volumeClaimTemplate mounted at KAD_DATA_DIR');
    // Every KAD_* key is a real setting, and the pod's environment is one `kad node` accepts.
    const known = new Set<string>(SETTINGS.map((s) => s.env));
    for (const name of Object.keys(env).filter((k) => k.startsWith('KAD_'))) assert.ok(known.has(name), `${name} is not a KAD_* setting`);
    const imageEnv = stageEnv(finalStage(loadDockerfile()));
    const config = resolveNodeConfig(settingValues({}, { ...imageEnv, ...env }));
    assert.deepEqual(
      config.natsUrl?.map((url) => parseNatsUrl(url).url),
      ['nats://127.0.0.1:4222'],
    );
  });

  test('the image is the one docker-compose.yml builds', () => {
    const composeImages = new Set(kadServices(loadCompose()).map(([, s]) => imageOf(s)));
    const kad = containersOf(one('StatefulSet')).find((c) => c['name'] === 'kad')!;
    assert.deepEqual([...composeImages], [kad['image']]);
  });

  test("the NATS sidecar runs the image (and tag) of docker-compose.yml's nats service", () => {
    const composeNats = imageOf(loadCompose().services['nats'] ?? {});
    assert.ok(composeNats?.startsWith('nats:'), `compose's nats image: ${composeNats}`);
    const sidecar = containersOf(one('StatefulSet')).find((c) => c['name'] === 'nats');
    assert.ok(sidecar, 'a nats sidecar');
    assert.equal(sidecar['image'], composeNats);
  });

  test('every $(VAR) in env, command and args refers to a variable defined above it (else Kubernetes leaves it as is)', () => {
    const pod = (one('StatefulSet') as StatefulSetObject).spec.template.spec;
    assert.deepEqual(
      podContainers(pod).flatMap((c) => danglingReferences(c, objects)),
      [],
    );
  });

  test('probes: on the HTTP port (KAD_HTTP_LISTEN): /healthz for startup and liveness, /readyz (the self-audit) for readiness; scrape annotations', () => {
    const sts = one('StatefulSet');
    const kad = containersOf(sts).find((c) => c['name'] === 'kad')!;
    const http = kad['ports'].find((p: Json) => p['name'] === 'http')['containerPort'];
    const listen = String(only('ConfigMap').find((c) => c['metadata']['name'] === 'kad-config')!['data']['KAD_HTTP_LISTEN']);
    assert.equal(listen, `0.0.0.0:${http}`, 'the http port is where the node serves HTTP');
    const paths = { startupProbe: '/healthz', readinessProbe: '/readyz', livenessProbe: '/healthz' };
    for (const [probe, path] of Object.entries(paths)) {
      assert.ok(kad[probe], `${probe} present`);
      assert.deepEqual(
        Object.keys(kad[probe]).filter((k) => ['grpc', 'httpGet', 'tcpSocket', 'exec'].includes(k)),
        ['httpGet'],
        `${probe} is an HTTP probe`,
      );
      assert.deepEqual([kad[probe]['httpGet']['path'], kad[probe]['httpGet']['port']], [path, 'http'], `${probe} asks ${path}`);
    }
    const annotations = sts['spec']['template']['metadata']['annotations'];
    assert.deepEqual(
      [annotations['prometheus.io/scrape'], annotations['prometheus.io/port'], annotations['prometheus.io/path']],
      ['true', String(http), '/metrics'],
    );
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
    assert.deepEqual(
      client['spec']['ports'].map((p: Json) => p['port']),
      [7400],
    );
  });

  test('NetworkPolicy: only the cluster and labelled clients reach port 7400; nothing reaches NATS', () => {
    const policy = one('NetworkPolicy');
    const labels = one('StatefulSet')['spec']['template']['metadata']['labels'];
    assert.ok(matches(policy['spec']['podSelector']['matchLabels'], labels), 'the policy covers the node pods');
    assert.ok(policy['spec']['policyTypes'].includes('Ingress'));
    const rules: Json[] = policy['spec']['ingress'];
    assert.ok(rules.length >= 1);
    const ports = rules.flatMap((r) => r['ports'] ?? []).map((p: Json) => p['port']);
    assert.ok(ports.length > 0 && ports.every((p) => p === 7400 || p === 9400), `only 7400 and 9400 open: ${ports.join(', ')}`);
    for (const rule of rules.filter((r) => (r['ports'] ?? []).some((p: Json) => p['port'] === 9400))) {
      assert.deepEqual(
        rule['ports'].map((p: Json) => p['port']),
        [9400],
      );
      assert.ok(
        rule['from'].every((f: Json) => f['podSelector']?.['matchLabels']?.['app.kubernetes.io/name'] === 'prometheus'),
        'the HTTP port only to Prometheus',
      );
    }
    assert.ok(
      rules.every((r) => Array.isArray(r['from']) && r['from'].length > 0),
      'every rule names who may connect (no allow-all)',
    );
    assert.ok(
      rules.some((r) =>
        r['from'].some((f: Json) => f['podSelector'] && !f['namespaceSelector'] && matches(f['podSelector']['matchLabels'], labels)),
      ),
      "peers: the cluster's own pods",
    );
  });
  test("the bus is authenticated: the NATS sidecar runs the ConfigMap nats-server.conf, whose user for every pod is exactly its node's subjects", () => {
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
    const sidecarEnv = containerEnvironment(nats, 0);
    const users = [...text.matchAll(/user: "([^"]+)"/g)].map((m) => m[1]!);
    const nodeUsers = users.filter((u) => u !== 'kad-monitor');
    assert.ok(users.includes('kad-monitor'), 'a kad-monitor user for NATS tooling');
    assert.ok(nodeUsers.length >= sts['spec']['replicas'], `a user for each of the ${sts['spec']['replicas']} replicas`);
    const expected = authorizationBlock(
      nodeUsers.map((u, i) => ({ node: `${sts['metadata']['name']}-${i}`, user: u, password: { env: 'NATS_PASSWORD' } })),
      { user: 'kad-monitor', password: { env: 'NATS_MONITOR_PASSWORD' } },
    );
    assert.ok(
      text.includes(expected),
      `the ConfigMap's authorization block is not authorizationBlock() of the pods' users; expected:\n${expected}`,
    );
    assert.equal(text.match(/^authorization\s*\{/gm)?.length, 1, 'one authorization block');
    for (const variable of ['NATS_PASSWORD', 'NATS_MONITOR_PASSWORD']) assert.ok(sidecarEnv[variable], `the sidecar has ${variable}`);

    // Every pod connects as its own node's user, with the password the sidecar checks.
    const kad = pod['containers'].find((c: Json) => c['name'] === 'kad');
    for (let i = 0; i < sts['spec']['replicas']; i++) {
      const podName = `${sts['metadata']['name']}-${i}`;
      const env = containerEnvironment(kad, i);
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
      const check = spawnSync('nats-server', ['-c', join(dir, 'nats-server.conf'), '-t'], {
        encoding: 'utf8',
        env: { ...process.env, ...sidecarEnv },
      });
      if (!check.error) assert.equal(check.status, 0, `nats-server -t rejects the ConfigMap's config:\n${check.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/k8s/overlays/production', () => {
  const base = objects as readonly K8sObject[];
  const prod = renderKustomization(K8S_PRODUCTION_DIR);
  const sts = oneOfKind<StatefulSetObject>(prod, 'StatefulSet');
  const baseSts = oneOfKind<StatefulSetObject>(base, 'StatefulSet');
  const pod = sts.spec.template.spec;
  const kad = containerNamed(pod, 'kad');
  const nats = containerNamed(pod, 'nats');
  const TLS_SECRET = 'kad-tls';
  /** What the operator creates (docs/DEPLOYMENT.md): the overlay ships neither Secret. */
  const operatorSecrets: K8sObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'kad-nats-auth', namespace: 'kademlia' },
      stringData: { password: 'p', 'monitor-password': 'm' },
    },
  ];
  const envOf = (container: Container, ordinal: number) =>
    podEnvironment(container, statefulSetPod(sts, ordinal), [...prod, ...operatorSecrets]);

  test('every object validates against the Kubernetes schema (kubernetes-models 4.5)', () => {
    for (const object of prod) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      assert.ok(Model, `no model for ${object.apiVersion} ${object.kind}`);
      assert.doesNotThrow(() => new Model(object).validate(), `${key(object)} is invalid`);
    }
  });

  test("no credentials in the repository are deployed: the example Secret is left out, and the Secrets the pods use are the operator's", () => {
    assert.deepEqual(objectsOfKind(prod, 'Secret'), [], 'no Secret is rendered');
    const referenced = new Set<string>();
    for (const c of podContainers(pod))
      for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) referenced.add(e.valueFrom.secretKeyRef.name);
    for (const v of pod.volumes ?? []) if (v.secret) referenced.add(v.secret.secretName);
    assert.deepEqual([...referenced].sort(), ['kad-nats-auth', TLS_SECRET]);
  });

  test('more replicas than the base, within the NATS users the config has; the PDB still lets one go at a time', () => {
    const replicas = sts.spec.replicas ?? 1;
    assert.ok(replicas > (baseSts.spec.replicas ?? 1), `${replicas} replicas`);
    const natsConf =
      oneOfKind<K8sObject & { data: Record<string, string> }>(
        objectsOfKind(prod, 'ConfigMap').filter((c) => c.metadata.name === 'kad-nats-config'),
        'ConfigMap',
      ).data['nats-server.conf'] ?? '';
    for (let i = 0; i < replicas; i++)
      assert.ok(natsConf.includes(`user: "${sts.metadata.name}-${i}"`), `a NATS user for ${sts.metadata.name}-${i}`);
    const pdb = oneOfKind<PodDisruptionBudgetObject>(prod, 'PodDisruptionBudget');
    assert.equal(pdb.spec.maxUnavailable, 1);
  });

  test("resources: requests and limits for both containers, above the base's; limits at least the requests", () => {
    const basePod = baseSts.spec.template.spec;
    for (const c of [kad, nats]) {
      const was = containerNamed(basePod, c.name);
      for (const resource of ['cpu', 'memory']) {
        const request = quantity(c.resources?.requests?.[resource] ?? 0);
        const limit = quantity(c.resources?.limits?.[resource] ?? 0);
        assert.ok(request > quantity(was.resources?.requests?.[resource] ?? 0), `${c.name}: ${resource} request above the base's`);
        assert.ok(limit > quantity(was.resources?.limits?.[resource] ?? 0), `${c.name}: ${resource} limit above the base's`);
        assert.ok(limit >= request, `${c.name}: ${resource} limit >= request`);
      }
    }
    const storage = sts.spec.volumeClaimTemplates?.[0]?.spec.resources.requests.storage ?? '0';
    assert.ok(
      quantity(storage) > quantity(baseSts.spec.volumeClaimTemplates?.[0]?.spec.resources.requests.storage ?? '0'),
      `volume ${storage}`,
    );
  });

  test('mutual TLS: each pod reads its own certificate and key, and the CA, from the Secret kad-tls; `kad node` accepts the settings', () => {
    const volume = (pod.volumes ?? []).find((v) => v.secret?.secretName === TLS_SECRET);
    assert.ok(volume, `a volume of the Secret ${TLS_SECRET}`);
    const mount = (kad.volumeMounts ?? []).find((m) => m.name === volume.name);
    assert.ok(mount?.readOnly, 'mounted read-only in the kad container');
    const seen = new Set<string>();
    const imageEnv = stageEnv(finalStage(loadDockerfile()));
    for (let i = 0; i < (sts.spec.replicas ?? 1); i++) {
      const podName = `${sts.metadata.name}-${i}`;
      const env = envOf(kad, i);
      assert.deepEqual(
        [env['KAD_TLS_CERT'], env['KAD_TLS_KEY'], env['KAD_TLS_CA']],
        [`${mount.mountPath}/${podName}.pem`, `${mount.mountPath}/${podName}.key`, `${mount.mountPath}/ca.pem`],
        `${podName}: its own certificate and key (a node's TLS key is its identity)`,
      );
      seen.add(env['KAD_TLS_KEY']!);
      const config = resolveNodeConfig(settingValues({}, { ...imageEnv, ...env }));
      assert.deepEqual(
        config.tls,
        { certFile: env['KAD_TLS_CERT'], keyFile: env['KAD_TLS_KEY'], caFile: env['KAD_TLS_CA'] },
        `${podName}: mutual TLS`,
      );
      assert.equal(config.network, 'kad-production', `${podName}: its own network name`);
    }
    assert.equal(seen.size, sts.spec.replicas, 'no two pods share a key');
    assert.deepEqual(
      podContainers(pod).flatMap((c) => danglingReferences(c, [...prod, ...operatorSecrets])),
      [],
      'every $(VAR) expands',
    );
  });

  test("probes: the base's, on the plaintext HTTP port, which mutual TLS on the node port leaves alone; NATS's as in the base", () => {
    const baseKad = containerNamed(baseSts.spec.template.spec, 'kad');
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
      const p = kad[probe];
      assert.ok(p?.httpGet, `${probe}: an HTTP probe`);
      assert.deepEqual(p, baseKad[probe], `${probe} as in the base`);
    }
    const baseNats = containerNamed(baseSts.spec.template.spec, 'nats');
    assert.deepEqual([nats.startupProbe, nats.livenessProbe], [baseNats.startupProbe, baseNats.livenessProbe]);
  });

  test('placement: at most one pod per Kubernetes node, spread over zones', () => {
    const labels = sts.spec.template.metadata.labels;
    const required = pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    assert.ok(
      required.some((t) => t.topologyKey === 'kubernetes.io/hostname' && matches(t.labelSelector?.matchLabels ?? {}, labels)),
      'required anti-affinity on the host name',
    );
    assert.equal(
      pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
      undefined,
      'the preferred rule is replaced',
    );
    assert.ok(
      (pod.topologySpreadConstraints ?? []).some(
        (t) => t.topologyKey === 'topology.kubernetes.io/zone' && matches(t.labelSelector?.matchLabels ?? {}, labels),
      ),
      'spread over zones',
    );
  });

  test('the same images as the base and docker-compose.yml; everything not patched is the base', () => {
    assert.deepEqual(
      podContainers(pod).map((c) => [c.name, c.image]),
      podContainers(baseSts.spec.template.spec).map((c) => [c.name, c.image]),
    );
    const compose = loadCompose();
    assert.equal(nats.image, imageOf(compose.services['nats'] ?? {}));
    assert.deepEqual([...new Set(kadServices(compose).map(([, s]) => imageOf(s)))], [kad.image]);
    const patched = new Set(['StatefulSet/kademlia/kad', 'ConfigMap/kademlia/kad-config', 'Secret/kademlia/kad-nats-auth']);
    for (const object of base.filter((o) => !patched.has(key(o))))
      assert.deepEqual(
        prod.find((o) => key(o) === key(object)),
        object,
        key(object),
      );
    // Security settings and volumes of the base stay as they were.
    assert.deepEqual(pod.securityContext, baseSts.spec.template.spec.securityContext);
    for (const c of podContainers(pod))
      assert.deepEqual(c.securityContext, containerNamed(baseSts.spec.template.spec, c.name).securityContext, c.name);
  });
});
