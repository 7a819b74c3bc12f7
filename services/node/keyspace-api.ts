/**
 * What the page on the HTTP port shows, as JSON, asked of the node's actors over the bus (so any
 * process of a split node serves it): the routing table, and for a key typed in, the k closest
 * nodes to its record id (a lookup), which of them hold the record (a FIND_VALUE to each), and
 * the path a Get of it takes, hop by hop (a traced Get, first value only: nothing is repaired or
 * cached for a page view). The last lookups it ran are kept for the page.
 */
import { type ActorClient, BUS_SLACK_MS, LOCAL_REQUEST_TIMEOUT_MS } from '../../libs/bus/index.js';
import { type KademliaConfig, distanceBits, idEquals, idToHex, recordIdFor, validateKey, planPublish } from '../../libs/kademlia/index.js';
import { invalidArgument } from '../../libs/errors/index.js';

export interface ContactView {
  readonly id: string;
  readonly address: string;
}

export interface TableView {
  readonly node: string;
  readonly self: ContactView;
  readonly k: number;
  readonly buckets: { readonly depth: number; readonly contacts: ContactView[]; readonly replacements: number }[];
}

export interface HopView {
  readonly round: number;
  readonly peer: ContactView;
  readonly rpc: string;
  readonly distanceBits: number;
  readonly latencyMs: number;
  readonly outcome: string;
}

export interface KeyView {
  readonly key: string;
  readonly recordId: string;
  readonly found: boolean;
  /** The k closest to the record id (this node among them when it is), closest first. */
  readonly closest: (ContactView & { readonly distanceBits: number; readonly holds: boolean | undefined; readonly self: boolean })[];
  /** The Get's peer RPCs; empty when this node answered from its own copy. */
  readonly path: HopView[];
  readonly atMs: number;
}

const RECENT_LOOKUPS = 10;

const view = (c: { id: Uint8Array; address: string }): ContactView => ({ id: idToHex(c.id), address: c.address });

export class KeyspaceApi {
  private readonly recent: KeyView[] = [];

  constructor(
    private readonly actors: ActorClient,
    private readonly kad: KademliaConfig,
    /** This node's advertised address (a lookup never returns the node itself). */
    private readonly advertise: string,
  ) {}

  async table(): Promise<TableView> {
    const dump = await this.actors.ask('routing-table', 'dump', {}, LOCAL_REQUEST_TIMEOUT_MS);
    const self = dump.self;
    return {
      node: this.actors.node,
      self: self ? view(self) : { id: '', address: '' },
      k: this.kad.k,
      buckets: dump.buckets.map((b) => ({
        depth: b.depth,
        contacts: b.contacts.map(view),
        replacements: b.replacements.length,
      })),
    };
  }

  /** The page's view of one key (UTF-8 text, as typed). */
  async key(text: string): Promise<KeyView> {
    const key = Buffer.from(text, 'utf8');
    const problem = validateKey(key, this.kad.limits);
    if (problem) throw invalidArgument(problem.message);
    const recordId = recordIdFor(key, undefined);
    const timeoutMs = this.kad.lookupTimeoutMs;
    const [self, get, found] = await Promise.all([
      this.actors.ask('routing-table', 'self', {}, LOCAL_REQUEST_TIMEOUT_MS),
      this.actors.ask(
        'lookup-coordinator',
        'get',
        { request: { key, trace: true, quorum: 1, owner: Buffer.alloc(0) }, timeoutMs, localChecked: false },
        timeoutMs + BUS_SLACK_MS,
      ),
      this.actors.ask('lookup-coordinator', 'find-node', { target: recordId, timeoutMs }, timeoutMs + BUS_SLACK_MS),
    ]);
    const selfId = self.id;
    const closest = found.contacts.slice(0, this.kad.k);
    // Where a Put through this node would store it (this node among the candidates).
    const candidates = planPublish(recordId, closest, { id: selfId, address: this.advertise }, this.kad.k).replicas;
    const holds = await Promise.all(
      candidates.map(async (c) => {
        try {
          if (idEquals(c.id, selfId))
            return (await this.actors.ask('storage', 'get', { recordId }, LOCAL_REQUEST_TIMEOUT_MS)).record !== undefined;
          const reply = await this.actors.ask(
            'transport',
            'find-value',
            { peer: c, recordId, timeoutMs: this.kad.rpcTimeoutMs },
            this.kad.rpcTimeoutMs + BUS_SLACK_MS,
          );
          return reply.record !== undefined;
        } catch {
          return undefined; // did not answer
        }
      }),
    );
    const result: KeyView = {
      key: text,
      recordId: idToHex(recordId),
      found: get.found ?? false,
      closest: candidates.map((c, i) => ({
        ...view(c),
        distanceBits: distanceBits(c.id, recordId),
        holds: holds[i],
        self: idEquals(c.id, selfId),
      })),
      path: (get.hops ?? []).map((h) => ({
        round: h.round ?? 0,
        peer: h.peer?.id ? { id: idToHex(Uint8Array.from(h.peer.id)), address: h.peer.address ?? '' } : { id: '', address: '' },
        rpc: h.rpc ?? '',
        distanceBits: h.distanceBits ?? 0,
        latencyMs: h.latencyMs ?? 0,
        outcome: h.outcome ?? '',
      })),
      atMs: Date.now(),
    };
    this.recent.unshift(result);
    this.recent.length = Math.min(this.recent.length, RECENT_LOOKUPS);
    return result;
  }

  /** The last key lookups this page ran, newest first. */
  lookups(): readonly KeyView[] {
    return this.recent;
  }
}
