/**
 * Readers for the deployment files (docker-compose.yml, deploy/docker/Dockerfile,
 * deploy/k8s/) shared by the tests in test/deploy. They only parse: each test decides what to
 * check or run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

/** The repository root (this file runs from dist/test/deploy/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');
export const DOCKERFILE = join(REPO_ROOT, 'deploy/docker/Dockerfile');
/** deploy/k8s: the kustomize base and its overlays. */
export const K8S_DIR = join(REPO_ROOT, 'deploy/k8s');
export const K8S_BASE_DIR = join(K8S_DIR, 'base');
export const K8S_PRODUCTION_DIR = join(K8S_DIR, 'overlays/production');

// ---------------------------------------------------------------- compose

export interface ComposeHealthcheck {
  test?: string | string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  disable?: boolean;
}

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target: number; published?: number | string })[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  healthcheck?: ComposeHealthcheck;
  depends_on?: string[] | Record<string, { condition?: string }>;
  restart?: string;
  [key: string]: unknown;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

/** docker-compose.yml as Compose reads it (YAML 1.1 merge keys `<<:` resolved). */
export function loadCompose(file = COMPOSE_FILE): ComposeFile {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
}

/** Splits a Compose string command the way Compose does for simple cases (no quotes here). */
function words(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : value.trim().split(/\s+/);
}

export function commandOf(service: ComposeService): string[] {
  return words(service.command);
}

export function environmentOf(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = {};
  const raw = service.environment ?? {};
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
  } else {
    for (const [key, value] of Object.entries(raw)) env[key] = value === null || value === undefined ? '' : String(value);
  }
  return env;
}

export function dependenciesOf(service: ComposeService): { name: string; condition: string }[] {
  const deps = service.depends_on ?? [];
  if (Array.isArray(deps)) return deps.map((name) => ({ name, condition: 'service_started' }));
  return Object.entries(deps).map(([name, d]) => ({ name, condition: d?.condition ?? 'service_started' }));
}

export interface VolumeMount {
  readonly source: string;
  readonly target: string;
}

/** Named-volume mounts (`name:/path`); bind mounts and anonymous volumes are left out. */
export function namedVolumesOf(service: ComposeService, compose: ComposeFile): VolumeMount[] {
  const named = new Set(Object.keys(compose.volumes ?? {}));
  const mounts: VolumeMount[] = [];
  for (const v of service.volumes ?? []) {
    const [source, target] = typeof v === 'string' ? v.split(':') : [v.source, v.target];
    if (source && target && named.has(source)) mounts.push({ source, target });
  }
  return mounts;
}

/** `${NAME:-default}` as Compose interpolates it with NAME unset. */
export function composeDefault(value: string): string {
  return value.replace(/\$\{\w+:?-([^}]*)\}/g, '$1');
}

/** A service's image as the file names it with no variable set. */
export function imageOf(service: ComposeService): string | undefined {
  return service.image === undefined ? undefined : composeDefault(service.image);
}

/** An image reference without its tag and digest: `nats:2.10-alpine` -> `nats`. */
export function imageName(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

/** Published ports; `host` is the address they bind ('' for every interface). */
export function publishedPortsOf(service: ComposeService): { host: string; published: number; target: number }[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p === 'object') return { host: '', published: Number(p.published ?? p.target), target: p.target };
    const m = /^(?:(.+):)?(\d+):(\d+)$/.exec(composeDefault(String(p)));
    if (!m) return { host: '', published: Number(p), target: Number(p) };
    return { host: m[1] ?? '', published: Number(m[2]), target: Number(m[3]) };
  });
}

/** The services built from deploy/docker/Dockerfile: the kad processes. */
export function kadServices(compose: ComposeFile): [string, ComposeService][] {
  return Object.entries(compose.services).filter(([, s]) => {
    const build = typeof s.build === 'string' ? { context: s.build } : s.build;
    return build !== undefined && (build.dockerfile ?? 'Dockerfile').endsWith('deploy/docker/Dockerfile');
  });
}

/** The host:port a kad service listens on, from KAD_LISTEN (or the image default). */
export function listenPort(env: Record<string, string>, imageEnv: Record<string, string>): number {
  const listen = env['KAD_LISTEN'] ?? imageEnv['KAD_LISTEN'] ?? '127.0.0.1:7400';
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}

// ---------------------------------------------------------------- Dockerfile

export interface DockerInstruction {
  readonly op: string;
  /** The rest of the line, continuation lines joined. */
  readonly args: string;
}

export interface DockerStage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: DockerInstruction[];
}

export interface Dockerfile {
  readonly args: Record<string, string>;
  readonly stages: DockerStage[];
}

export function loadDockerfile(file = DOCKERFILE): Dockerfile {
  const logical: string[] = [];
  let current = '';
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*#/.test(line) && current === '') continue;
    if (/^\s*#/.test(line)) continue; // comments inside a continued instruction
    const trimmed = line.replace(/\s+$/, '');
    if (trimmed.endsWith('\\')) {
      current += trimmed.slice(0, -1) + ' ';
      continue;
    }
    current += trimmed;
    if (current.trim() !== '') logical.push(current.trim());
    current = '';
  }
  const args: Record<string, string> = {};
  const stages: DockerStage[] = [];
  for (const line of logical) {
    const match = /^(\w+)\s+(.*)$/s.exec(line);
    if (!match) throw new Error(`cannot parse Dockerfile line: ${line}`);
    const op = match[1]!.toUpperCase();
    const rest = match[2]!;
    if (op === 'FROM') {
      const [image, as, name] = rest.split(/\s+/);
      const from = image!.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => args[(a ?? b)!] ?? '');
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0 && op === 'ARG') {
      const [key, value] = rest.split('=');
      args[key!.trim()] = (value ?? '').trim();
    } else {
      stages[stages.length - 1]?.instructions.push({ op, args: rest });
    }
  }
  return { args, stages };
}

/** JSON-array (exec form) arguments of an instruction; undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  try {
    const value = JSON.parse(args) as unknown;
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

/** ENV of a stage: `ENV A=1 B=2` and `ENV A 1` forms. */
export function stageEnv(stage: DockerStage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { op, args } of stage.instructions) {
    if (op !== 'ENV') continue;
    if (!args.includes('=')) {
      const [key, ...value] = args.split(/\s+/);
      env[key!] = value.join(' ');
      continue;
    }
    for (const pair of args.match(/\S+=("[^"]*"|\S*)/g) ?? []) {
      const eq = pair.indexOf('=');
      env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"|"$/g, '');
    }
  }
  return env;
}

export function finalStage(dockerfile: Dockerfile): DockerStage {
  const stage = dockerfile.stages[dockerfile.stages.length - 1];
  if (!stage) throw new Error('Dockerfile has no FROM');
  return stage;
}

/** HEALTHCHECK CMD of a stage, as an exec-form array. */
export function stageHealthcheck(stage: DockerStage): string[] | undefined {
  const instruction = stage.instructions.find((i) => i.op === 'HEALTHCHECK');
  if (!instruction) return undefined;
  const cmd = /\bCMD\s+(.*)$/s.exec(instruction.args);
  return cmd ? execForm(cmd[1]!.trim()) : undefined;
}

// ---------------------------------------------------------------- Kubernetes

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

export function loadYamlDocuments(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export function loadYaml<T>(file: string): T {
  return parse(readFileSync(file, 'utf8')) as T;
}

// ---------------------------------------------------------------- yamllint

/** `yamllint -c deploy/yamllint.yaml <paths>`; undefined when yamllint is not installed. */
export function yamllint(paths: string[]): { ok: boolean; output: string } | undefined {
  const result = spawnSync('yamllint', ['-f', 'parsable', '-c', join(REPO_ROOT, 'deploy/yamllint.yaml'), ...paths], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
  });
  if (result.error) return undefined;
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}
