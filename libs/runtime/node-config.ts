/**
 * A node's configuration from command-line flags and KAD_* environment variables (a flag wins
 * over its variable). One table holds every setting: its flag, its variable and its parser, so
 * the CLI help, the container env and the code cannot drift apart.
 */
import { hostname } from 'node:os';
import { DEFAULT_CONFIG, validateConfig, type KademliaConfig } from '../kademlia/config.js';
import { isValidAddress } from '../kademlia/contact.js';
import { isValidToken } from '../bus/subjects.js';

export interface NodeConfig {
  /** Subject namespace on NATS and `node` on every log line. */
  readonly node: string;
  /** Peers of another network are refused (peer.proto). */
  readonly network: string;
  readonly listen: string;
  readonly advertise: string;
  /** undefined: the in-process bus. */
  readonly natsUrl: string[] | undefined;
  readonly bootstrap: string[];
  readonly dataDir: string | undefined;
  readonly kad: KademliaConfig;
  readonly logLevel: string;
  /** Added to the machine's clock: a test hook for clock skew (0 in production). */
  readonly clockOffsetMs: number;
}

export const DEFAULT_NETWORK = 'kad';

type Setting = {
  readonly flag: string;
  readonly env: string;
  readonly help: string;
};

export const SETTINGS = [
  { flag: 'node', env: 'KAD_NODE', help: 'node name: subject namespace on NATS, a log field (default: host name)' },
  { flag: 'network', env: 'KAD_NETWORK', help: `network name: peers of another network are refused (default ${DEFAULT_NETWORK})` },
  { flag: 'listen', env: 'KAD_LISTEN', help: 'host:port the gRPC server binds (default 127.0.0.1:7400)' },
  { flag: 'advertise', env: 'KAD_ADVERTISE', help: 'host:port other nodes use to reach this one (default: listen)' },
  { flag: 'nats-url', env: 'KAD_NATS_URL', help: 'NATS server URL(s), comma-separated; unset: the in-process bus' },
  { flag: 'bootstrap', env: 'KAD_BOOTSTRAP', help: 'comma-separated host:port of nodes to join through; empty: first node' },
  { flag: 'data-dir', env: 'KAD_DATA_DIR', help: "where the node keeps its identity, records and routing snapshot" },
  { flag: 'k', env: 'KAD_K', help: `bucket size and replication factor (default ${DEFAULT_CONFIG.k})` },
  { flag: 'alpha', env: 'KAD_ALPHA', help: `lookup parallelism (default ${DEFAULT_CONFIG.alpha})` },
  { flag: 'refresh-ms', env: 'KAD_REFRESH_MS', help: 'bucket refresh interval (default 1 h)' },
  { flag: 'replicate-ms', env: 'KAD_REPLICATE_MS', help: "holders' re-replication interval (default 1 h)" },
  { flag: 'republish-ms', env: 'KAD_REPUBLISH_MS', help: "publisher's republish interval (default 24 h)" },
  { flag: 'expire-ms', env: 'KAD_EXPIRE_MS', help: 'record lifetime (default 24 h)' },
  { flag: 'rpc-timeout-ms', env: 'KAD_RPC_TIMEOUT_MS', help: `per-RPC timeout (default ${DEFAULT_CONFIG.rpcTimeoutMs})` },
  { flag: 'lookup-timeout-ms', env: 'KAD_LOOKUP_TIMEOUT_MS', help: `whole-lookup deadline (default ${DEFAULT_CONFIG.lookupTimeoutMs})` },
  { flag: 'max-value-bytes', env: 'KAD_MAX_VALUE_BYTES', help: `largest value accepted (default ${DEFAULT_CONFIG.limits.maxValueBytes})` },
  { flag: 'max-records', env: 'KAD_MAX_RECORDS', help: `records one node holds at most (default ${DEFAULT_CONFIG.maxRecords})` },
  { flag: 'log-level', env: 'KAD_LOG_LEVEL', help: 'pino level: trace, debug, info, warn, error (default info)' },
  { flag: 'clock-offset-ms', env: 'KAD_CLOCK_OFFSET_MS', help: "test hook: ms added to this node's clock, may be negative (default 0)" },
] as const satisfies readonly Setting[];

export type SettingFlag = (typeof SETTINGS)[number]['flag'];
export type SettingValues = Partial<Record<SettingFlag, string>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Flags first, then the environment. */
export function settingValues(flags: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv = process.env): SettingValues {
  const values: SettingValues = {};
  for (const setting of SETTINGS) {
    const flag = flags[setting.flag];
    const value = typeof flag === 'string' ? flag : env[setting.env];
    if (value !== undefined && value !== '') values[setting.flag] = value;
  }
  return values;
}

/** The setting as an integer of at least `min` (1: a positive integer), or the fallback when unset. */
function integer(values: SettingValues, flag: SettingFlag, fallback: number, min = Number.MIN_SAFE_INTEGER): number {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) throw new ConfigError(`--${flag} must be ${min === 1 ? 'a positive' : 'an'} integer, got ${JSON.stringify(raw)}`);
  return n;
}

const positiveInt = (values: SettingValues, flag: SettingFlag, fallback: number): number => integer(values, flag, fallback, 1);

function addressList(raw: string | undefined, flag: string): string[] {
  const list = (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const address of list) {
    if (!isValidAddress(address)) throw new ConfigError(`--${flag}: ${JSON.stringify(address)} is not host:port`);
  }
  return list;
}

function defaultNodeName(): string {
  const name = hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);
  return isValidToken(name) ? name : 'kad-node';
}

export function resolveNodeConfig(values: SettingValues): NodeConfig {
  const node = values.node ?? defaultNodeName();
  if (!isValidToken(node)) throw new ConfigError(`--node ${JSON.stringify(node)} must be 1 to 64 of [A-Za-z0-9_-]`);
  const network = values.network ?? DEFAULT_NETWORK;
  if (!isValidToken(network)) throw new ConfigError(`--network ${JSON.stringify(network)} must be 1 to 64 of [A-Za-z0-9_-]`);
  const listen = values.listen ?? '127.0.0.1:7400';
  if (!isValidAddress(listen)) throw new ConfigError(`--listen ${JSON.stringify(listen)} is not host:port`);
  const advertise = values.advertise ?? defaultAdvertise(listen);
  if (!isValidAddress(advertise)) throw new ConfigError(`--advertise ${JSON.stringify(advertise)} is not host:port`);
  const k = positiveInt(values, 'k', DEFAULT_CONFIG.k);
  const kad: KademliaConfig = {
    ...DEFAULT_CONFIG,
    k,
    alpha: positiveInt(values, 'alpha', Math.min(DEFAULT_CONFIG.alpha, k)),
    refreshMs: positiveInt(values, 'refresh-ms', DEFAULT_CONFIG.refreshMs),
    replicateMs: positiveInt(values, 'replicate-ms', DEFAULT_CONFIG.replicateMs),
    republishMs: positiveInt(values, 'republish-ms', DEFAULT_CONFIG.republishMs),
    expireMs: positiveInt(values, 'expire-ms', DEFAULT_CONFIG.expireMs),
    rpcTimeoutMs: positiveInt(values, 'rpc-timeout-ms', DEFAULT_CONFIG.rpcTimeoutMs),
    lookupTimeoutMs: positiveInt(values, 'lookup-timeout-ms', DEFAULT_CONFIG.lookupTimeoutMs),
    maxRecords: positiveInt(values, 'max-records', DEFAULT_CONFIG.maxRecords),
    limits: { ...DEFAULT_CONFIG.limits, maxValueBytes: positiveInt(values, 'max-value-bytes', DEFAULT_CONFIG.limits.maxValueBytes) },
  };
  const problems = validateConfig(kad);
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  const nats = values['nats-url']?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return {
    node,
    network,
    listen,
    advertise,
    natsUrl: nats && nats.length > 0 ? nats : undefined,
    bootstrap: addressList(values.bootstrap, 'bootstrap'),
    dataDir: values['data-dir'],
    kad,
    logLevel: values['log-level'] ?? 'info',
    clockOffsetMs: integer(values, 'clock-offset-ms', 0),
  };
}

/** A wildcard bind address is not reachable: advertise the host name with the same port. */
function defaultAdvertise(listen: string): string {
  const port = listen.slice(listen.lastIndexOf(':') + 1);
  const host = listen.slice(0, listen.lastIndexOf(':'));
  return host === '0.0.0.0' || host === '[::]' ? `${hostname()}:${port}` : listen;
}
