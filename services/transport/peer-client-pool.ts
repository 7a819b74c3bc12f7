/**
 * Outbound gRPC channels to peers, one per address, reused across calls. Bounded twice: channels
 * to peers that proved their id (`promote`) live in the main pool, at most `maxChannels`;
 * channels to any other address (a candidate being challenged, a lookup's new contact) live on
 * probation, at most `maxProbation`, so made-up addresses can never push out the channels of
 * real peers. Past either bound the least recently used channel is closed.
 */
import * as grpc from '@grpc/grpc-js';
import { BoundedMap } from '../../libs/kademlia/index.js';
import { channelOptions, kademliaPackage, type PeerClient } from '../../libs/proto/index.js';

export class PeerClientPool {
  private readonly clients: BoundedMap<string, PeerClient>;
  private readonly probation: BoundedMap<string, PeerClient>;
  private readonly Peer = kademliaPackage().Peer;

  constructor(
    maxChannels: number,
    private readonly maxMessageBytes: number,
    private readonly credentials: grpc.ChannelCredentials,
    /** Options for the channel to one address, beside the common ones (a TLS server name). */
    private readonly optionsFor: (address: string) => grpc.ChannelOptions = () => ({}),
    maxProbation = 256,
  ) {
    this.clients = new BoundedMap(maxChannels);
    this.probation = new BoundedMap(maxProbation);
  }

  get(address: string): PeerClient {
    const known = this.clients.touch(address) ?? this.probation.touch(address);
    if (known) return known;
    const client = new this.Peer(address, this.credentials, { ...channelOptions(this.maxMessageBytes), ...this.optionsFor(address) });
    this.probation.set(address, client)?.[1].close();
    return client;
  }

  /**
   * The peer at `address` just called this node, so it is up: a channel to it still backing off
   * from an earlier failure (it was down, or restarting) is closed, and the next call dials
   * afresh. Otherwise a challenge of that caller would fail at once, as if it were unreachable.
   */
  revive(address: string): void {
    for (const pool of [this.clients, this.probation]) {
      const client = pool.get(address);
      if (client?.getChannel().getConnectivityState(false) !== grpc.connectivityState.TRANSIENT_FAILURE) continue;
      pool.delete(address);
      client.close();
    }
  }

  /** The peer at `address` proved its id: its channel moves to the main pool. */
  promote(address: string): void {
    const client = this.probation.get(address);
    if (!client) return;
    this.probation.delete(address);
    this.clients.set(address, client)?.[1].close();
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
