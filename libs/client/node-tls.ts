/**
 * TLS to a node: a node's certificate carries its Ed25519 identity key (docs/SECURITY.md), so a
 * client that trusts the cluster's CA checks that key is there rather than a host name, and sends
 * a fixed server name when it dials by IP. The node's own TLS files are read in libs/identity.
 */
import { isIP } from 'node:net';
import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { splitAddress } from './address.js';
import { rawEd25519PublicKey } from './ed25519.js';

/** A certificate as DER or PEM bytes, or as node:tls / grpc-js give a peer's (`.raw` is its DER). */
export type CertificateInput = Buffer | Uint8Array | string | Pick<PeerCertificate, 'raw'>;

function x509(cert: CertificateInput): X509Certificate | undefined {
  try {
    const bytes = typeof cert === 'string' || cert instanceof Uint8Array ? cert : cert.raw;
    return bytes === undefined ? undefined : new X509Certificate(bytes);
  } catch {
    return undefined;
  }
}

/** The raw Ed25519 public key a certificate carries; undefined when it is malformed or carries
 * another kind of key (RSA, ECDSA). */
export function ed25519KeyOfCertificate(cert: CertificateInput): Uint8Array | undefined {
  const parsed = x509(cert);
  return parsed === undefined ? undefined : rawEd25519PublicKey(parsed.publicKey);
}

/** A node's certificate must carry an Ed25519 key, so that it names a node id (the check a TLS
 * client runs once the chain has verified; the host name dialled does not matter). */
export function checkNodeCertificate(cert: CertificateInput): Error | undefined {
  return ed25519KeyOfCertificate(cert) === undefined
    ? new Error('the node certificate carries no Ed25519 key, so it names no node id')
    : undefined;
}

/** The TLS server name sent to a node dialled by IP when a CA decides trust. */
export const NODE_TLS_SERVER_NAME = 'kad-node';

/**
 * gRPC channel options for TLS to `address` when a CA decides trust: an IP is no TLS server name
 * (RFC 6066, and Node warns once per process), and no name is checked, so a fixed one is sent.
 */
export function serverNameOptions(address: string): { 'grpc.ssl_target_name_override'?: string } {
  return isIP(splitAddress(address).host) === 0 ? {} : { 'grpc.ssl_target_name_override': NODE_TLS_SERVER_NAME };
}

/**
 * TLS to the node (PEM bytes). `ca`: the cluster's CA; the node's certificate must chain to it
 * and carry an Ed25519 key, whatever host name it was dialled by (a node's identity is its key).
 * Without `ca`, the system roots and the host name are checked, as any TLS client does.
 * `cert` and `key`: the client's own certificate, for nodes that require one (mutual TLS).
 */
export interface ClientTlsOptions {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** Credentials and channel options for a TLS client of `address`. */
export function clientTlsCredentials(
  address: string,
  tls: ClientTlsOptions,
): { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw new TypeError('a client certificate and its key go together');
  const verify: grpc.VerifyOptions = tls.ca === undefined ? {} : { checkServerIdentity: (_host, cert) => checkNodeCertificate(cert) };
  const credentials = grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null, verify);
  // With a CA no name is checked; without, the host must be in the certificate, as given.
  return { credentials, options: tls.ca === undefined ? {} : serverNameOptions(address) };
}
