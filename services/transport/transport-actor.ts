/**
 * The transport actor: the node's gRPC server (peer protocol, client API, admin, health,
 * reflection) and its pool of outbound channels. It holds no Kademlia state: inbound calls
 * become bus messages (inbound-handlers.ts), and "send this RPC to that peer" requests from
 * the other actors become gRPC calls (outbound-rpcs.ts).
 */
import { HealthImplementation } from 'grpc-health-check';
import {
  ActorClient,
  serveActor,
  type ServiceHandle,
  Mailbox,
  waitForRoutingTable,
  type ActorContext,
  type RunningActor,
} from '../../libs/bus/index.js';
import { MAX_K, type KademliaConfig, idToHex, type Contact } from '../../libs/kademlia/index.js';
import { kademliaPackage, reflectionService } from '../../libs/proto/index.js';
import { adminHandlers, dhtHandlers, peerHandlers, type InboundDeps } from './inbound-handlers.js';
import { OutboundRpcs } from './outbound-rpcs.js';
import { PeerClientPool } from './peer-client-pool.js';
import { InboundLimiter } from './inbound-limiter.js';
import { startGrpcServer, type GrpcServer } from './grpc-server.js';
import { RateLimiter } from './rate-limiter.js';
import { VerifiedPeers } from './verified-peers.js';
import { ContactReports } from './contact-reports.js';
import { peerChannelCredentials, peerChannelOptions, peerIdOfCall, serverCredentials } from './tls-credentials.js';

/** Outbound RPCs in flight at most, and waiting beyond that, before RESOURCE_EXHAUSTED. */
const MAILBOX = { capacity: 4_096, concurrency: 512 } as const;
const MAX_CHANNELS = 1_024;
/** Contacts a table view may carry at most (a table holds k per bucket, at most 256 buckets). */
const MAX_VIEW_CONTACTS = 256 * MAX_K;
/** Peers remembered as having proved their id (more than any routing table holds). */
const MAX_VERIFIED_PEERS = 8_192;
/** Inbound calls one remote host may have in flight, so no one host holds every handler. */
const MAX_INBOUND_PER_HOST = 256;
/** The routing table hears of one contact at most this often (contact-reports.ts). */
const CONTACT_REPORT_EVERY_MS = 1_000;
/** Room around a record for the rest of a message: ids, addresses, up to k contacts. */
const MESSAGE_OVERHEAD_BYTES = 64 * 1024;

export function maxMessageBytes(kad: KademliaConfig): number {
  return kad.limits.maxKeyBytes + kad.limits.maxValueBytes + MESSAGE_OVERHEAD_BYTES;
}

export class TransportActor implements RunningActor {
  private service: ServiceHandle | undefined;
  private readonly health = new HealthImplementation({ '': 'NOT_SERVING' });
  private readonly stopping = new AbortController();
  private unwatchReadiness: (() => void) | undefined;

  private constructor(
    private readonly grpcServer: GrpcServer,
    private readonly pool: PeerClientPool,
    readonly boundAddress: string,
  ) {}

  static async start(ctx: ActorContext): Promise<TransportActor> {
    const { config } = ctx;
    const actors = new ActorClient(ctx.bus, config.node, ctx);
    const limit = maxMessageBytes(config.kad);
    const grpcServer = await startGrpcServer({
      listen: config.listen,
      credentials: serverCredentials(config),
      maxMessageBytes: limit,
      limits: config.peerLimits,
      log: ctx.log,
    });
    const server = grpcServer.server;
    const pool = new PeerClientPool(MAX_CHANNELS, limit, peerChannelCredentials(config), (address) => peerChannelOptions(config, address));
    const actor = new TransportActor(grpcServer, pool, `${config.listen.slice(0, config.listen.lastIndexOf(':'))}:${grpcServer.port}`);

    const selfId = await waitForRoutingTable(actors, ctx.identity, ctx.log, actor.stopping.signal);
    const self: Contact = { id: selfId, address: config.advertise };
    const limiter = new InboundLimiter(MAX_INBOUND_PER_HOST);
    const verified = new VerifiedPeers(MAX_VERIFIED_PEERS);
    const rate = new RateLimiter(config.peerLimits.rateLimitRps, config.peerLimits.rateLimitBurst);
    const disconnect = (remote: string): void => grpcServer.disconnect(remote);
    const heardFrom = (address: string): void => pool.revive(address);
    const reports = new ContactReports(actors, verified, ctx.clock, CONTACT_REPORT_EVERY_MS);
    const tableView: InboundDeps['tableView'] = { contacts: undefined };
    const deps: InboundDeps = {
      limiter,
      rate,
      disconnect,
      certificateId: peerIdOfCall,
      actors,
      self,
      key: ctx.identity.key,
      verified,
      reports,
      tableView,
      busTally: ctx.bus.tally,
      heardFrom,
      network: config.network,
      kad: config.kad,
      log: ctx.log,
      clock: ctx.clock,
      metrics: ctx.metrics,
      tracer: ctx.tracer,
    };
    const pkg = kademliaPackage();
    server.addService(pkg.Peer.service, peerHandlers(deps));
    server.addService(pkg.Dht.service, dhtHandlers(deps));
    server.addService(pkg.Admin.service, adminHandlers(deps));
    // Health and reflection only once the services are there: a client that sees health answer
    // never gets UNIMPLEMENTED from a node still starting.
    actor.health.addToServer(server);
    reflectionService().addToServer(server);

    const outbound = new OutboundRpcs({ ...deps, pool, verified });
    actor.service = await serveActor(
      ctx.bus,
      config.node,
      'transport',
      {
        ping: (request) => outbound.ping(request),
        'find-node': (request) => outbound.findNode(request),
        'find-value': (request) => outbound.findValue(request),
        store: (request) => outbound.store(request),
        'table-view': (event) => {
          tableView.contacts = event.contacts.slice(0, MAX_VIEW_CONTACTS);
        },
      },
      new Mailbox(`${config.node}/transport`, MAILBOX),
      () => undefined,
      ctx,
    );
    // gRPC health follows the node's readiness (the self-audit), not merely this server's.
    actor.unwatchReadiness = ctx.readiness.watch((ready) => actor.health.setStatus('', ready ? 'SERVING' : 'NOT_SERVING'));
    ctx.log.info({ listen: actor.boundAddress, advertise: config.advertise, id: idToHex(selfId) }, 'transport actor serving');
    return actor;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.unwatchReadiness?.();
    this.health.setStatus('', 'NOT_SERVING');
    await this.service?.stop();
    await this.grpcServer.stop(1_000);
    this.pool.close();
  }
}
