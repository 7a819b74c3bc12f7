/** gRPC checks from the outside: health, and raw peer-protocol clients for hostile input. */
import * as grpc from '@grpc/grpc-js';
import { channelOptions, kademliaPackage, packageDefinition, unary } from '../../libs/proto/grpc-package.js';
import type { PeerClient } from '../../libs/proto/gen/kademlia/v1/Peer.js';

interface HealthReply {
  status: string;
}
type HealthClient = grpc.Client & {
  Check: (req: { service: string }, md: grpc.Metadata, opts: grpc.CallOptions, cb: grpc.requestCallback<HealthReply>) => grpc.ClientUnaryCall;
};

export async function healthStatus(address: string, timeoutMs = 1_000): Promise<string> {
  const healthProto = await import('grpc-health-check');
  const Health = grpc.makeGenericClientConstructor(healthProto.service as unknown as grpc.ServiceDefinition, 'grpc.health.v1.Health');
  const client = new Health(address, grpc.credentials.createInsecure()) as unknown as HealthClient;
  try {
    return (await unary(client, client.Check, { service: '' }, timeoutMs)).status;
  } finally {
    client.close();
  }
}

export function rawPeerClient(address: string): PeerClient {
  const Peer = kademliaPackage().Peer;
  return new Peer(address, grpc.credentials.createInsecure(), channelOptions(8 * 1024 * 1024));
}

export { packageDefinition };
