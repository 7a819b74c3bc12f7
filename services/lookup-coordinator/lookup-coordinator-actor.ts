/**
 * The lookup-coordinator actor: iterative lookups (paper §2.3) and the client operations built
 * on them (dht-operations.ts), and the maintenance timers that keep tables fresh and records
 * alive (maintenance.ts). Each operation is its own session; the actor holds no state shared
 * between them beyond its id, so operations run concurrently up to the mailbox bound.
 */
import {
  ActorClient,
  serveActor,
  type ServiceHandle,
  Mailbox,
  waitForRoutingTable,
  type ActorContext,
  type RunningActor,
} from '../../libs/bus/index.js';
import type { Contact } from '../../libs/kademlia/index.js';
import { DhtOperations } from './dht-operations.js';
import { Maintenance } from './maintenance.js';

/** Client operations in flight at most, and waiting beyond that, before RESOURCE_EXHAUSTED. */
const MAILBOX = { capacity: 1_024, concurrency: 256 } as const;

export class LookupCoordinatorActor implements RunningActor {
  private service: ServiceHandle | undefined;

  private constructor(private readonly maintenance: Maintenance) {}

  static async start(ctx: ActorContext): Promise<LookupCoordinatorActor> {
    const actors = new ActorClient(ctx.bus, ctx.config.node, ctx);
    const self: Contact = {
      id: await waitForRoutingTable(actors, ctx.identity, ctx.log, new AbortController().signal),
      address: ctx.config.advertise,
    };
    const ops = new DhtOperations({
      actors,
      self,
      key: ctx.identity.key,
      kad: ctx.config.kad,
      log: ctx.log,
      clock: ctx.clock,
      timers: ctx.timers,
      metrics: ctx.metrics,
      tracer: ctx.tracer,
    });
    const maintenance = new Maintenance({
      actors,
      ops,
      self,
      config: ctx.config,
      log: ctx.log,
      clock: ctx.clock,
      timers: ctx.timers,
      metrics: ctx.metrics,
    });
    const actor = new LookupCoordinatorActor(maintenance);
    actor.service = await serveActor(
      ctx.bus,
      ctx.config.node,
      'lookup-coordinator',
      {
        put: (request) => ops.put(request),
        get: (request) => ops.get(request),
        'find-node': async (request) => {
          const closest = await ops.findNode(request.target, ctx.clock() + ops.budgetMs(request.timeoutMs));
          return { contacts: closest };
        },
        'contact-added': (event) => maintenance.contactAdded(event.contact),
      },
      new Mailbox(`${ctx.config.node}/lookup-coordinator`, MAILBOX),
      (verb, err) => ctx.log.warn({ verb, err: (err as Error).message }, 'dropped a malformed event'),
      ctx,
    );
    maintenance.start();
    ctx.log.info({ bootstrap: ctx.config.bootstrap }, 'lookup-coordinator actor started');
    return actor;
  }

  /** Hands this node's share of the records to the nodes that take it over. */
  async leave(): Promise<void> {
    await this.maintenance.leave();
  }

  async stop(): Promise<void> {
    this.maintenance.stop();
    await this.service?.stop();
  }
}
