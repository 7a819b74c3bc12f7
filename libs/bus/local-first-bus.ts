/**
 * The bus of a node process that has a NATS URL: location transparency, as Akka and Erlang give
 * actor references. An actor sends to a subject (node, actor, verb) and never knows where the
 * actor runs:
 * - one served in this process gets the message in process (a MemoryBus: no socket, no server);
 * - any other gets it over NATS, on the same subject, in the same protobuf;
 * so a message is encoded only when it leaves the process.
 * Every actor served here is served on NATS too, so split actors in other processes, operators'
 * tools (`nats micro ls`) and anything else that sends to its subjects still reach it there.
 * The actors this process is to run (`own`) are in process even before they serve: a message to
 * one still starting never goes out to nats-server.
 * Deadlines, mailbox bounds and "nobody serves it, so unavailable at once" hold on both paths.
 */
import type { Bus, Incoming, Outgoing, ServiceHandle, ServiceSpec } from './bus.js';
import { BusTally } from './bus-tally.js';
import { MemoryBus } from './memory-bus.js';
import { actorSubjectPrefix, type ActorName } from './subjects.js';

export class LocalFirstBus implements Bus {
  readonly tally = new BusTally();
  private readonly local = new MemoryBus();

  /** Subject prefixes (`kad.<node>.<actor>.`) of the actors this process runs. */
  private readonly ownPrefixes: readonly string[];

  constructor(
    private readonly remote: Bus,
    own?: { readonly node: string; readonly actors: readonly ActorName[] },
  ) {
    this.ownPrefixes = own ? own.actors.map((actor) => actorSubjectPrefix(own.node, actor)) : [];
  }

  get connected(): boolean {
    return this.remote.connected;
  }

  request(subject: string, message: Outgoing, timeoutMs: number, traceparent?: string): Promise<Incoming> {
    return this.route(subject, true).request(subject, message, timeoutMs, traceparent);
  }

  publish(subject: string, message: Outgoing): void {
    this.route(subject, false).publish(subject, message);
  }

  private route(subject: string, request: boolean): Bus {
    const here = this.local.serves(subject) || this.ownPrefixes.some((prefix) => subject.startsWith(prefix));
    this.tally.note(subject, here, request);
    return here ? this.local : this.remote;
  }

  async serve(spec: ServiceSpec): Promise<ServiceHandle> {
    const remote = await this.remote.serve(spec);
    const local = await this.local.serve(spec).catch(async (err: unknown) => {
      await remote.stop();
      throw err;
    });
    return {
      stop: async () => {
        await local.stop();
        await remote.stop();
      },
    };
  }

  async close(): Promise<void> {
    await this.local.close();
    await this.remote.close();
  }
}
