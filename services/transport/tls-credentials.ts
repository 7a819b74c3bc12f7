/**
 * gRPC credentials of a node: plaintext by default; TLS, and mutual TLS with a CA, from the
 * node's TlsConfig (KAD_TLS_CERT, KAD_TLS_KEY, KAD_TLS_CA).
 *
 * The certificate's key is the node's Ed25519 identity key (libs/identity/certificate.ts), so
 * a certificate names a node id. Trust is decided thus:
 * - with a CA (mutual TLS): the server asks every caller (peer or client) for a certificate the
 *   CA signed and refuses the handshake without one; the node's channels to peers present its
 *   own certificate and accept a server whose chain ends at the CA and whose key is Ed25519.
 *   Host names are not checked: peers are dialled by whatever host:port they advertise (often
 *   an IP), and a peer's identity is its key, which the challenge Ping (and the inbound
 *   handlers, through `peerIdOfCall`) check against its node id.
 * - without a CA (server TLS only): callers need no certificate; the node's channels to peers
 *   verify the peer's chain against the system roots (or NODE_EXTRA_CA_CERTS) and its host
 *   name, as any TLS client does, and require an Ed25519 key.
 */
import { checkServerIdentity as checkHostName, type PeerCertificate } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { checkNodeCertificate, loadTlsMaterial, peerIdOfCertificate, serverNameOptions } from '../../libs/identity/index.js';
import { BoundedMap, type NodeId } from '../../libs/kademlia/index.js';
import type { NodeConfig } from '../../libs/runtime/index.js';

export { peerIdOfCertificate };

/** The credentials the node's gRPC server binds with. */
export function serverCredentials(config: NodeConfig): grpc.ServerCredentials {
  if (config.tls === undefined) return grpc.ServerCredentials.createInsecure();
  const tls = loadTlsMaterial(config.tls);
  return grpc.ServerCredentials.createSsl(
    tls.caPem ?? null,
    [{ private_key: tls.keyPem, cert_chain: tls.certPem }],
    tls.caPem !== undefined,
  );
}

/** The credentials of the node's outbound channels to its peers. */
export function peerChannelCredentials(config: NodeConfig): grpc.ChannelCredentials {
  if (config.tls === undefined) return grpc.credentials.createInsecure();
  const tls = loadTlsMaterial(config.tls);
  return grpc.credentials.createSsl(tls.caPem ?? null, tls.keyPem, tls.certPem, {
    checkServerIdentity: tls.caPem === undefined ? checkHostNameAndKey : checkEd25519Key,
  });
}

/**
 * Channel options for the node's channel to the peer at `address`, beside its credentials: with a
 * CA no host name is checked, so a peer dialled by IP is sent a fixed TLS server name (an IP is
 * none, RFC 6066, and Node warns once per process otherwise). Empty otherwise.
 */
export function peerChannelOptions(config: NodeConfig, address: string): grpc.ChannelOptions {
  return config.tls?.caFile === undefined ? {} : serverNameOptions(address);
}

/** Once the chain has verified against the CA: the peer's key must be an Ed25519 node key. */
function checkEd25519Key(_host: string, cert: PeerCertificate): Error | undefined {
  return checkNodeCertificate(cert);
}

function checkHostNameAndKey(host: string, cert: PeerCertificate): Error | undefined {
  return checkHostName(host, cert) ?? checkNodeCertificate(cert);
}

/**
 * The node id of the caller, from the certificate it presented in the TLS handshake; undefined
 * on a plaintext connection, when no certificate was asked for (no CA) or verified, or when it
 * carries no Ed25519 key. A peer's claimed sender id can be checked against it.
 */
export function peerIdOfCall(call: Pick<grpc.ServerUnaryCall<unknown, unknown>, 'getAuthContext'>): NodeId | undefined {
  const cert = call.getAuthContext().sslPeerCertificate;
  if (cert === undefined) return undefined;
  // Every peer call asks: parse each certificate once, not once per call.
  const known = certificateIds.get(cert.fingerprint256);
  if (known !== undefined) return known ?? undefined;
  const id = peerIdOfCertificate(cert);
  certificateIds.set(cert.fingerprint256, id ?? null);
  return id;
}

/** SHA-256 fingerprint -> the node id it names (null: none). */
const certificateIds = new BoundedMap<string, NodeId | null>(4_096);
