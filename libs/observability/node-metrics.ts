/**
 * What a node counts, as Prometheus metrics (prom-client), one registry per process part (a
 * `kad node` process, or one actor process of a split node), labelled with `node` and `actor`
 * (the actor it runs, or `node` for all four). Actors report events through `NodeMetrics`; with
 * the HTTP port off they get `NO_METRICS`, whose methods do nothing, so metrics cost nothing
 * when nobody can scrape them.
 *
 * Names follow Prometheus conventions (`kad_` prefix, `_total` counters, `_seconds` durations);
 * the Node process metrics (`process_*`, `nodejs_*`) are read at scrape time (process-metrics.ts).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { registerProcessMetrics, scrapedGauge } from './process-metrics.js';

export type RpcDirection = 'inbound' | 'outbound';
export type ClientMethod = 'put' | 'get';
export type MaintenanceTask = 'replicate' | 'republish' | 'handoff';

export interface BucketOccupancy {
  /** The bucket's place in the table: how many leading bits its ids share with this node's. */
  readonly depth: number;
  readonly contacts: number;
  readonly replacements: number;
}

export interface RoutingTableView {
  /** In id order. */
  readonly buckets: readonly BucketOccupancy[];
}

export interface StorageView {
  readonly records: number;
  readonly bytes: number;
}

export interface NodeMetrics {
  /** The registry to serve, or undefined when metrics are off. */
  readonly registry: Registry | undefined;
  peerRpc(direction: RpcDirection, method: string, status: string, seconds: number): void;
  clientRequest(method: ClientMethod, status: string, seconds: number): void;
  lookup(kind: string, outcome: string, seconds: number, rounds: number, rpcs: number): void;
  maintenance(task: MaintenanceTask, records: number): void;
  busRequest(actor: string, verb: string, status: string, seconds: number): void;
  mailboxRejected(actor: string): void;
  /** Read at every scrape. */
  watchMailbox(actor: string, depth: () => number): void;
  watchRoutingTable(view: () => RoutingTableView): void;
  watchStorage(view: () => StorageView): void;
}

const noop = (): void => undefined;

export const NO_METRICS: NodeMetrics = {
  registry: undefined,
  peerRpc: noop,
  clientRequest: noop,
  lookup: noop,
  maintenance: noop,
  busRequest: noop,
  mailboxRejected: noop,
  watchMailbox: noop,
  watchRoutingTable: noop,
  watchStorage: noop,
};

/** RPCs on loopback take 0.2-5 ms; lookups across a WAN take seconds. */
const RPC_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const ROUND_BUCKETS = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20];
const RPC_COUNT_BUCKETS = [1, 2, 5, 10, 20, 40, 60, 100, 200];

export class PromNodeMetrics implements NodeMetrics {
  readonly registry = new Registry();
  private readonly peerRpcs: Counter<'direction' | 'method' | 'status'>;
  private readonly peerRpcSeconds: Histogram<'direction' | 'method'>;
  private readonly clientRequests: Counter<'method' | 'status'>;
  private readonly clientSeconds: Histogram<'method'>;
  private readonly lookups: Counter<'kind' | 'outcome'>;
  private readonly lookupSeconds: Histogram<'kind'>;
  private readonly lookupRounds: Histogram<'kind'>;
  private readonly lookupRpcs: Histogram<'kind'>;
  private readonly maintained: Counter<'task'>;
  private readonly busRequests: Counter<'target' | 'verb' | 'status'>;
  private readonly busSeconds: Histogram<'target' | 'verb'>;
  private readonly rejections: Counter<'mailbox'>;
  private readonly mailboxes = new Map<string, () => number>();
  private routingTable: (() => RoutingTableView) | undefined;
  private storage: (() => StorageView) | undefined;

  constructor(labels: { node: string; actor: string }) {
    const registers = [this.registry];
    this.registry.setDefaultLabels(labels);
    registerProcessMetrics(this.registry);
    this.peerRpcs = new Counter({
      name: 'kad_peer_rpcs_total',
      help: 'Kademlia peer RPCs, by direction, method and gRPC status',
      labelNames: ['direction', 'method', 'status'],
      registers,
    });
    this.peerRpcSeconds = new Histogram({
      name: 'kad_peer_rpc_duration_seconds',
      help: 'Kademlia peer RPC latency',
      labelNames: ['direction', 'method'],
      buckets: RPC_BUCKETS,
      registers,
    });
    this.clientRequests = new Counter({
      name: 'kad_client_requests_total',
      help: 'Client Put and Get calls, by gRPC status',
      labelNames: ['method', 'status'],
      registers,
    });
    this.clientSeconds = new Histogram({
      name: 'kad_client_request_duration_seconds',
      help: 'Client Put and Get latency',
      labelNames: ['method'],
      buckets: RPC_BUCKETS,
      registers,
    });
    this.lookups = new Counter({
      name: 'kad_lookups_total',
      help: 'Iterative lookups, by kind (node, value) and outcome',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.lookupSeconds = new Histogram({
      name: 'kad_lookup_duration_seconds',
      help: 'Iterative lookup duration',
      labelNames: ['kind'],
      buckets: RPC_BUCKETS,
      registers,
    });
    this.lookupRounds = new Histogram({
      name: 'kad_lookup_rounds',
      help: 'Rounds of RPCs one lookup took',
      labelNames: ['kind'],
      buckets: ROUND_BUCKETS,
      registers,
    });
    this.lookupRpcs = new Histogram({
      name: 'kad_lookup_rpcs',
      help: 'Peer RPCs one lookup sent',
      labelNames: ['kind'],
      buckets: RPC_COUNT_BUCKETS,
      registers,
    });
    this.maintained = new Counter({
      name: 'kad_maintenance_records_total',
      help: 'Records sent by replication, republishing and hand-off to newcomers',
      labelNames: ['task'],
      registers,
    });
    this.busRequests = new Counter({
      name: 'kad_bus_requests_total',
      help: 'Requests to actors over the bus, by target actor, verb and outcome',
      labelNames: ['target', 'verb', 'status'],
      registers,
    });
    this.busSeconds = new Histogram({
      name: 'kad_bus_request_duration_seconds',
      help: 'Bus request latency, by target actor and verb',
      labelNames: ['target', 'verb'],
      buckets: RPC_BUCKETS,
      registers,
    });
    this.rejections = new Counter({
      name: 'kad_mailbox_rejections_total',
      help: 'Messages an actor refused because its mailbox was full',
      labelNames: ['mailbox'],
      registers,
    });
    const mailboxes = this.mailboxes;
    new Gauge({
      name: 'kad_mailbox_depth',
      help: 'Messages waiting in or being handled by an actor',
      labelNames: ['mailbox'],
      registers,
      collect() {
        for (const [mailbox, depth] of mailboxes) this.set({ mailbox }, depth());
      },
    });
  }

  peerRpc(direction: RpcDirection, method: string, status: string, seconds: number): void {
    this.peerRpcs.inc({ direction, method, status });
    this.peerRpcSeconds.observe({ direction, method }, seconds);
  }

  clientRequest(method: ClientMethod, status: string, seconds: number): void {
    this.clientRequests.inc({ method, status });
    this.clientSeconds.observe({ method }, seconds);
  }

  lookup(kind: string, outcome: string, seconds: number, rounds: number, rpcs: number): void {
    this.lookups.inc({ kind, outcome });
    this.lookupSeconds.observe({ kind }, seconds);
    this.lookupRounds.observe({ kind }, rounds);
    this.lookupRpcs.observe({ kind }, rpcs);
  }

  maintenance(task: MaintenanceTask, records: number): void {
    this.maintained.inc({ task }, records);
  }

  busRequest(target: string, verb: string, status: string, seconds: number): void {
    this.busRequests.inc({ target, verb, status });
    this.busSeconds.observe({ target, verb }, seconds);
  }

  mailboxRejected(mailbox: string): void {
    this.rejections.inc({ mailbox });
  }

  watchMailbox(mailbox: string, depth: () => number): void {
    this.mailboxes.set(mailbox, depth);
  }

  /** The routing-table series exist only in the process that runs the routing table. */
  watchRoutingTable(view: () => RoutingTableView): void {
    const first = this.routingTable === undefined;
    this.routingTable = view;
    if (!first) return;
    const buckets = (): readonly BucketOccupancy[] | undefined => this.routingTable?.().buckets;
    const sum = (of: (b: BucketOccupancy) => number) => () => buckets()?.reduce((n, b) => n + of(b), 0);
    scrapedGauge(
      this.registry,
      'kad_routing_table_contacts',
      'Contacts in the routing table',
      sum((b) => b.contacts),
    );
    scrapedGauge(this.registry, 'kad_routing_table_buckets', 'Buckets in the routing table', () => buckets()?.length);
    scrapedGauge(
      this.registry,
      'kad_routing_table_replacements',
      'Contacts waiting in the replacement caches',
      sum((b) => b.replacements),
    );
    new Gauge({
      name: 'kad_routing_table_bucket_contacts',
      help: 'Contacts per bucket (its index in id order), with its depth (prefix bits its ids share)',
      labelNames: ['bucket', 'depth'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [i, b] of (buckets() ?? []).entries()) this.set({ bucket: String(i), depth: String(b.depth) }, b.contacts);
      },
    });
  }

  /** The storage series exist only in the process that runs storage. */
  watchStorage(view: () => StorageView): void {
    const first = this.storage === undefined;
    this.storage = view;
    if (!first) return;
    scrapedGauge(this.registry, 'kad_records', 'Records held', () => this.storage?.().records);
    scrapedGauge(this.registry, 'kad_record_bytes', 'Bytes of record values held', () => this.storage?.().bytes);
  }
}
