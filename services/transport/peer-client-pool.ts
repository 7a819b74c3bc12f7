/**
 * Outbound gRPC channels to peers, one per address, reused across calls. Bounded twice: channels
 * to peers that proved their id (`promote`) live in the main pool, at most `maxChannels`;
 * channels to any other address (a candidate being challenged, a lookup's new contact) live on
 * probation, at most `maxProbation`, so made-up addresses can never push out the channels of
 * real peers. Past either bound the least recently used channel is closed.
 */
import * as grpc from '@grpc/grpc-js';
import { channelOptions, kademliaPackage } from '../../libs/proto/grpc-package.js';
import type { PeerClient } from '../../libs/proto/gen/kademlia/v1/Peer.js';

export class PeerClientPool {
  private readonly clients = new Map<string, PeerClient>();
  private readonly probation = new Map<string, PeerClient>();
  private readonly Peer = kademliaPackage().Peer;

  constructor(
    private readonly maxChannels: number,
    private readonly maxMessageBytes: number,
    private readonly credentials: grpc.ChannelCredentials,
    /** Options for the channel to one address, beside the common ones (a TLS server name). */
    private readonly optionsFor: (address: string) => grpc.ChannelOptions = () => ({}),
    private readonly maxProbation = 256,
  ) {}

  get(address: string): PeerClient {
    const proven = this.clients.get(address);
    if (proven) return touch(this.clients, address, proven);
    const candidate = this.probation.get(address);
    if (candidate) return touch(this.probation, address, candidate);
    const client = new this.Peer(address, this.credentials, { ...channelOptions(this.maxMessageBytes), ...this.optionsFor(address) });
    insert(this.probation, address, client, this.maxProbation);
    return client;
  }

  /** The peer at `address` proved its id: its channel moves to the main pool. */
  promote(address: string): void {
    const client = this.probation.get(address);
    if (!client) return;
    this.probation.delete(address);
    insert(this.clients, address, client, this.maxChannels);
  }

  get size(): number {
    return this.clients.size + this.probation.size;
  }

  close(): void {
    for (const client of [...this.clients.values(), ...this.probation.values()]) client.close();
    this.clients.clear();
    this.probation.clear();
  }
}

function touch(pool: Map<string, PeerClient>, address: string, client: PeerClient): PeerClient {
  pool.delete(address);
  pool.set(address, client);
  return client;
}

function insert(pool: Map<string, PeerClient>, address: string, client: PeerClient, max: number): void {
  if (pool.size >= max) {
    const [oldest, stale] = pool.entries().next().value as [string, PeerClient];
    pool.delete(oldest);
    stale.close();
  }
  pool.set(address, client);
}
