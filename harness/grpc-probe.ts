/** gRPC checks from the outside: health, and raw peer-protocol clients for hostile input. */
import * as grpc from '@grpc/grpc-js';
import { clientTlsCredentials, type ClientTlsOptions } from '../libs/client/index.js';
import { channelOptions, kademliaPackage, unary, type PeerClient } from '../libs/proto/index.js';

interface HealthReply {
  status: string;
}
type HealthClient = grpc.Client & {
  Check: (
    req: { service: string },
    md: grpc.Metadata,
    opts: grpc.CallOptions,
    cb: grpc.requestCallback<HealthReply>,
  ) => grpc.ClientUnaryCall;
};

/** Plaintext credentials, or TLS ones as the project's client makes them. */
function credentialsFor(
  address: string,
  tls: ClientTlsOptions | undefined,
): { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
  return tls === undefined ? { credentials: grpc.credentials.createInsecure(), options: {} } : clientTlsCredentials(address, tls);
}

export async function healthStatus(address: string, timeoutMs = 1_000, tls?: ClientTlsOptions): Promise<string> {
  const healthProto = await import('grpc-health-check');
  const Health = grpc.makeGenericClientConstructor(healthProto.service as unknown as grpc.ServiceDefinition, 'grpc.health.v1.Health');
  const { credentials, options } = credentialsFor(address, tls);
  const client = new Health(address, credentials, options) as unknown as HealthClient;
  try {
    return (await unary(client, client.Check, { service: '' }, timeoutMs)).status;
  } finally {
    client.close();
  }
}

export function rawPeerClient(address: string, tls?: ClientTlsOptions): PeerClient {
  const Peer = kademliaPackage().Peer;
  const { credentials, options } = credentialsFor(address, tls);
  return new Peer(address, credentials, { ...channelOptions(8 * 1024 * 1024), ...options });
}
