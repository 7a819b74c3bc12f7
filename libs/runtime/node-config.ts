/**
 * A node's configuration from command-line flags and KAD_* environment variables (a flag wins
 * over its variable). One table holds every setting: its flag, its variable and its parser, so
 * the CLI help, the container env and the code cannot drift apart.
 */
import { hostname } from 'node:os';
import { DEFAULT_CONFIG, validateConfig, type KademliaConfig, isValidAddress, splitAddress } from '../kademlia/index.js';
import { isValidToken } from './subject-token.js';
import { ConfigError } from '../errors/index.js';

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
  /** How the node authenticates to NATS beyond credentials in the URL. */
  readonly natsAuth: NatsAuthConfig;
  /** undefined: plaintext gRPC (the laptop default). */
  readonly tls: TlsConfig | undefined;
  readonly peerLimits: PeerLimits;
  /** host:port of this process's HTTP server (/metrics, /healthz, /readyz, the page); undefined: off. */
  readonly httpListen: string | undefined;
  /** An OpenTelemetry collector's OTLP/HTTP base URL: traced spans are exported there. */
  readonly otlpEndpoint: string | undefined;
}

export interface NatsAuthConfig {
  /** A NATS .creds file (user JWT and nkey seed). */
  readonly credsFile: string | undefined;
  /** A PEM CA bundle: the connection to NATS uses TLS and trusts this CA. */
  readonly tlsCaFile: string | undefined;
}

/** PEM files. With a CA, peers and clients must present a certificate it signed (mutual TLS). */
export interface TlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string | undefined;
}

/** What one remote may cost this node (docs/SECURITY.md states each default). */
export interface PeerLimits {
  /** Calls per second one remote may make (token bucket refill); 0: no rate limit. */
  readonly rateLimitRps: number;
  /** Calls one remote may make in a burst (bucket size). */
  readonly rateLimitBurst: number;
  /** HTTP/2 streams one connection may have open at once. */
  readonly maxStreamsPerConnection: number;
  /** A connection with no call for this long is closed. */
  readonly idleTimeoutMs: number;
  /** Connections one remote host may hold open at once. */
  readonly maxConnectionsPerHost: number;
  /** The server pings each connection this often; one that does not answer within 20 s is closed. */
  readonly keepaliveMs: number;
  /** Records one storing peer may have stored here. */
  readonly quotaRecords: number;
  /** Key and value bytes one storing peer may have stored here. */
  readonly quotaBytes: number;
  /** Key and value bytes this node stores at most, beside KAD_MAX_RECORDS. */
  readonly maxStoreBytes: number;
  /** Routing-table contacts per IP group (/24, /48) at most; 0: no cap. Loopback and private ranges are exempt. */
  readonly maxContactsPerIpGroup: number;
}

export const DEFAULT_PEER_LIMITS: PeerLimits = {
  rateLimitRps: 1_000,
  rateLimitBurst: 2_000,
  maxStreamsPerConnection: 100,
  idleTimeoutMs: 5 * 60_000,
  maxConnectionsPerHost: 128,
  keepaliveMs: 60_000,
  quotaRecords: 10_000,
  quotaBytes: 64 * 1024 * 1024,
  maxStoreBytes: 1024 * 1024 * 1024,
  maxContactsPerIpGroup: 0,
};

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
  { flag: 'data-dir', env: 'KAD_DATA_DIR', help: 'where the node keeps its identity, records and routing snapshot' },
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
  {
    flag: 'http-listen',
    env: 'KAD_HTTP_LISTEN',
    help: 'host:port of the HTTP server: /metrics, /healthz, /readyz and the page at / (default: off)',
  },
  {
    flag: 'otlp-endpoint',
    env: 'KAD_OTLP_ENDPOINT',
    help: 'OpenTelemetry collector base URL (OTLP/HTTP, JSON): traced spans are POSTed to <url>/v1/traces (default: off)',
  },
  { flag: 'log-level', env: 'KAD_LOG_LEVEL', help: 'pino level: trace, debug, info, warn, error (default info)' },
  { flag: 'clock-offset-ms', env: 'KAD_CLOCK_OFFSET_MS', help: "test hook: ms added to this node's clock, may be negative (default 0)" },
  { flag: 'nats-creds', env: 'KAD_NATS_CREDS', help: 'NATS .creds file (user JWT and nkey seed) to authenticate with' },
  { flag: 'nats-tls-ca', env: 'KAD_NATS_TLS_CA', help: 'PEM CA bundle: connect to NATS over TLS, trusting this CA' },
  { flag: 'tls-cert', env: 'KAD_TLS_CERT', help: "PEM certificate for gRPC over TLS; its key is the node's key (needs --tls-key)" },
  { flag: 'tls-key', env: 'KAD_TLS_KEY', help: "PEM Ed25519 private key of --tls-cert: the node's identity key" },
  { flag: 'tls-ca', env: 'KAD_TLS_CA', help: 'PEM CA bundle: peers and clients must present a certificate it signed (mutual TLS)' },
  {
    flag: 'rate-limit-rps',
    env: 'KAD_RATE_LIMIT_RPS',
    help: `calls per second one remote may make, 0: unlimited (default ${DEFAULT_PEER_LIMITS.rateLimitRps})`,
  },
  {
    flag: 'rate-limit-burst',
    env: 'KAD_RATE_LIMIT_BURST',
    help: `calls one remote may make in a burst (default ${DEFAULT_PEER_LIMITS.rateLimitBurst})`,
  },
  {
    flag: 'max-streams',
    env: 'KAD_MAX_STREAMS',
    help: `concurrent HTTP/2 streams per connection (default ${DEFAULT_PEER_LIMITS.maxStreamsPerConnection})`,
  },
  {
    flag: 'idle-timeout-ms',
    env: 'KAD_IDLE_TIMEOUT_MS',
    help: `close a connection idle this long (default ${DEFAULT_PEER_LIMITS.idleTimeoutMs})`,
  },
  {
    flag: 'max-connections-per-host',
    env: 'KAD_MAX_CONNECTIONS_PER_HOST',
    help: `open connections per remote host (default ${DEFAULT_PEER_LIMITS.maxConnectionsPerHost})`,
  },
  {
    flag: 'keepalive-ms',
    env: 'KAD_KEEPALIVE_MS',
    help: `the server pings each connection this often, and closes it unanswered (default ${DEFAULT_PEER_LIMITS.keepaliveMs})`,
  },
  {
    flag: 'peer-quota-records',
    env: 'KAD_PEER_QUOTA_RECORDS',
    help: `records one storing peer may keep here (default ${DEFAULT_PEER_LIMITS.quotaRecords})`,
  },
  {
    flag: 'peer-quota-bytes',
    env: 'KAD_PEER_QUOTA_BYTES',
    help: `bytes one storing peer may keep here (default ${DEFAULT_PEER_LIMITS.quotaBytes})`,
  },
  {
    flag: 'max-store-bytes',
    env: 'KAD_MAX_STORE_BYTES',
    help: `key and value bytes one node stores at most (default ${DEFAULT_PEER_LIMITS.maxStoreBytes})`,
  },
  {
    flag: 'max-contacts-per-ip-group',
    env: 'KAD_MAX_CONTACTS_PER_IP_GROUP',
    help: 'routing-table contacts per /24 or /48, 0: no cap; loopback and private exempt (default 0)',
  },
] as const satisfies readonly Setting[];

export type SettingFlag = (typeof SETTINGS)[number]['flag'];
export type SettingValues = Partial<Record<SettingFlag, string>>;

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
  if (!Number.isSafeInteger(n) || n < min)
    throw new ConfigError(`--${flag} must be ${min === 1 ? 'a positive' : 'an'} integer, got ${JSON.stringify(raw)}`);
  return n;
}

const positiveInt = (values: SettingValues, flag: SettingFlag, fallback: number): number => integer(values, flag, fallback, 1);
const nonNegativeInt = (values: SettingValues, flag: SettingFlag, fallback: number): number => integer(values, flag, fallback, 0);

function peerLimits(values: SettingValues): PeerLimits {
  const d = DEFAULT_PEER_LIMITS;
  return {
    rateLimitRps: nonNegativeInt(values, 'rate-limit-rps', d.rateLimitRps),
    rateLimitBurst: positiveInt(values, 'rate-limit-burst', d.rateLimitBurst),
    maxStreamsPerConnection: positiveInt(values, 'max-streams', d.maxStreamsPerConnection),
    idleTimeoutMs: positiveInt(values, 'idle-timeout-ms', d.idleTimeoutMs),
    maxConnectionsPerHost: positiveInt(values, 'max-connections-per-host', d.maxConnectionsPerHost),
    keepaliveMs: positiveInt(values, 'keepalive-ms', d.keepaliveMs),
    quotaRecords: positiveInt(values, 'peer-quota-records', d.quotaRecords),
    quotaBytes: positiveInt(values, 'peer-quota-bytes', d.quotaBytes),
    maxStoreBytes: positiveInt(values, 'max-store-bytes', d.maxStoreBytes),
    maxContactsPerIpGroup: nonNegativeInt(values, 'max-contacts-per-ip-group', d.maxContactsPerIpGroup),
  };
}

function tlsConfig(values: SettingValues): TlsConfig | undefined {
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  const caFile = values['tls-ca'];
  if (certFile === undefined && keyFile === undefined) {
    if (caFile !== undefined) throw new ConfigError('--tls-ca needs --tls-cert and --tls-key');
    return undefined;
  }
  if (certFile === undefined || keyFile === undefined) throw new ConfigError('--tls-cert and --tls-key go together');
  return { certFile, keyFile, caFile };
}

function addressList(raw: string | undefined, flag: string): string[] {
  const list = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const address of list) {
    if (!isValidAddress(address)) throw new ConfigError(`--${flag}: ${JSON.stringify(address)} is not host:port`);
  }
  return list;
}

function defaultNodeName(): string {
  const name = hostname()
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 64);
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
  const httpListen = values['http-listen'];
  if (httpListen !== undefined && !isValidAddress(httpListen))
    throw new ConfigError(`--http-listen ${JSON.stringify(httpListen)} is not host:port`);
  const otlpEndpoint = values['otlp-endpoint'];
  if (otlpEndpoint !== undefined && !isHttpUrl(otlpEndpoint))
    throw new ConfigError(`--otlp-endpoint ${JSON.stringify(otlpEndpoint)} is not an http:// or https:// URL`);
  const nats = values['nats-url']
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
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
    natsAuth: { credsFile: values['nats-creds'], tlsCaFile: values['nats-tls-ca'] },
    tls: tlsConfig(values),
    peerLimits: peerLimits(values),
    httpListen,
    otlpEndpoint,
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

/** A wildcard bind address is not reachable: advertise the host name with the same port. */
function defaultAdvertise(listen: string): string {
  const { host, port } = splitAddress(listen);
  return host === '0.0.0.0' || host === '::' ? `${hostname()}:${port}` : listen;
}
