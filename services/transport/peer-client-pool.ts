/**
 * Outbound gRPC channels to peers, one per address, reused across calls. Bounded: past
 * `maxChannels` the least recently used channel is closed.
 */
import * as grpc from '@grpc/grpc-js';
import { channelOptions, kademliaPackage } from '../../libs/proto/grpc-package.js';
import type { PeerClient } from '../../libs/proto/gen/kademlia/v1/Peer.js';

export class PeerClientPool {
  private readonly clients = new Map<string, PeerClient>();
  private readonly Peer = kademliaPackage().Peer;

  constructor(
    private readonly maxChannels: number,
    private readonly maxMessageBytes: number,
    private readonly credentials: grpc.ChannelCredentials,
  ) {}

  get(address: string): PeerClient {
    let client = this.clients.get(address);
    if (client) {
      this.clients.delete(address);
    } else {
      client = new this.Peer(address, this.credentials, channelOptions(this.maxMessageBytes));
      if (this.clients.size >= this.maxChannels) {
        const [oldest, stale] = this.clients.entries().next().value as [string, PeerClient];
        this.clients.delete(oldest);
        stale.close();
      }
    }
    this.clients.set(address, client);
    return client;
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
