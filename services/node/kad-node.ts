/**
 * A node, or part of one, in this process: the chosen actors on one bus. `kad node` starts all
 * four; `kad actor <name>` starts one (split mode). With a NATS URL the actors are served on NATS
 * and talk to each other in process where they share it (LocalFirstBus); without, they share an
 * in-process MemoryBus (given, so many nodes can share one in a process).
 */
import {
  type Bus,
  LocalFirstBus,
  MemoryBus,
  NatsBus,
  inboxPrefixFor,
  ACTORS,
  type ActorName,
  type ActorContext,
  type RunningActor,
  ActorClient,
} from '../../libs/bus/index.js';
import {
  actorLogger,
  type Logger,
  type NodeConfig,
  systemClock,
  systemRandom,
  systemTimers,
  packageVersion,
} from '../../libs/runtime/index.js';
import { ConfigError } from '../../libs/errors/index.js';
import { loadNodeIdentity } from '../../libs/identity/index.js';
import { NO_METRICS, PromNodeMetrics, type NodeMetrics, Readiness, SpanLog, Tracer, OtlpExporter } from '../../libs/observability/index.js';
import { startHttpServer, type RunningHttpServer } from './http-server.js';
import { ReadinessAudit } from './readiness-audit.js';
import { KeyspaceApi } from './keyspace-api.js';
import { LookupCoordinatorActor } from '../lookup-coordinator/lookup-coordinator-actor.js';
import { RoutingTableActor } from '../routing-table/routing-table-actor.js';
import { StorageActor } from '../storage/storage-actor.js';
import { TransportActor } from '../transport/transport-actor.js';

const STARTERS: Record<ActorName, (ctx: ActorContext) => Promise<RunningActor>> = {
  'routing-table': RoutingTableActor.start,
  storage: StorageActor.start,
  'lookup-coordinator': LookupCoordinatorActor.start,
  transport: TransportActor.start,
};

export interface RunningNode {
  readonly config: NodeConfig;
  readonly bus: Bus;
  readonly readiness: Readiness;
  /** host:port of the HTTP server, when KAD_HTTP_LISTEN turns it on. */
  readonly httpAddress: string | undefined;
  stop(): Promise<void>;
}

export interface StartNodeOptions {
  readonly actors?: readonly ActorName[];
  /** The in-process bus to join when the config has no NATS URL. */
  readonly memoryBus?: MemoryBus;
}

export async function startNode(config: NodeConfig, root: Logger, options: StartNodeOptions = {}): Promise<RunningNode> {
  const names = options.actors ?? ACTORS;
  if (names.length < ACTORS.length && config.dataDir === undefined) {
    throw new ConfigError('the actors of a split node share its key through their data dir: set --data-dir (KAD_DATA_DIR)');
  }
  const identity = loadNodeIdentity(config.dataDir, config.tls);
  const clock = config.clockOffsetMs === 0 ? systemClock : () => systemClock() + config.clockOffsetMs;
  const ownsBus = config.natsUrl !== undefined || options.memoryBus === undefined;
  // With NATS, the actors of this process still talk in process; NATS carries the rest.
  const bus: Bus = config.natsUrl
    ? new LocalFirstBus(
        await NatsBus.connect({
          servers: config.natsUrl,
          name: `kad:${config.node}:${names.join('+')}`,
          ...config.natsAuth,
          inboxPrefix: inboxPrefixFor(config.node),
        }),
        { node: config.node, actors: names },
      )
    : (options.memoryBus ?? new MemoryBus());
  const started: RunningActor[] = [];
  // Metrics only where they can be scraped: with the HTTP port off, actors count nothing.
  const processActor = names.length === ACTORS.length ? 'node' : names.join('+');
  const metrics: NodeMetrics = config.httpListen ? new PromNodeMetrics({ node: config.node, actor: processActor }) : NO_METRICS;
  const readiness = new Readiness();
  const spans = new SpanLog();
  const tracer = new Tracer(config.node, processActor, spans, systemRandom);
  const exporter = config.otlpEndpoint
    ? new OtlpExporter(
        config.otlpEndpoint,
        spans,
        { node: config.node, actor: processActor, version: packageVersion() },
        actorLogger(root, config.node, processActor),
      )
    : undefined;
  const actors = new ActorClient(bus, config.node);
  const audit = new ReadinessAudit(bus, actors, config, identity.id, readiness, actorLogger(root, config.node, processActor));
  let http: RunningHttpServer | undefined;
  const stop = async (): Promise<void> => {
    audit.stop();
    await http?.close().catch(() => undefined);
    await Promise.all(started.map((actor) => actor.leave?.().catch(() => undefined)));
    for (const actor of started.reverse()) await actor.stop().catch(() => undefined);
    await exporter?.stop().catch(() => undefined);
    if (ownsBus) await bus.close();
  };
  try {
    // Every actor waits on the bus for what it needs, so split actors start in any order. In one
    // process the routing table (which owns the node id) and storage (which may read its records
    // from disk) go first, so the node reports SERVING only once it can answer.
    const start = (name: ActorName) =>
      STARTERS[name]({
        bus,
        config,
        identity,
        log: actorLogger(root, config.node, name),
        clock,
        timers: systemTimers,
        random: systemRandom,
        metrics,
        tracer,
        readiness,
      }).then((actor) => {
        started.push(actor);
        return actor;
      });
    const first: ActorName[] = ['routing-table', 'storage'];
    for (const name of first) if (names.includes(name)) await start(name);
    await Promise.all(names.filter((name) => !first.includes(name)).map(start));
    root.child({ node: config.node }).debug({ actors: names }, 'node started');
    audit.start();
    if (config.httpListen)
      http = await startHttpServer({
        listen: config.httpListen,
        node: config.node,
        metrics,
        readiness,
        spans,
        keyspace: new KeyspaceApi(actors, config.kad, config.advertise),
        log: actorLogger(root, config.node, processActor),
      });
  } catch (err) {
    await stop();
    throw err;
  }
  return { config, bus, readiness, httpAddress: http?.address, stop };
}
