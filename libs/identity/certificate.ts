/**
 * X.509 certificates whose key is a node's Ed25519 identity key: with KAD_TLS_KEY the TLS key IS
 * the node's key, so a certificate names a node id (SHA-256 of its raw public key) and a TLS
 * handshake proves the peer holds that id's key. The TLS files are read and checked here once,
 * at startup; anything missing or inconsistent is a ConfigError naming the file.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PeerCertificate } from 'node:tls';
import type { NodeId } from '../kademlia/id.js';
import { publisherIdOf } from '../kademlia/record-signature.js';
import { ConfigError } from '../runtime/node-config.js';
import { SigningKey } from './ed25519.js';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4); the raw key follows. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The raw 32-byte public key of an Ed25519 key object; undefined for any other kind of key. */
function rawEd25519(key: KeyObject): Uint8Array | undefined {
  if (key.asymmetricKeyType !== 'ed25519') return undefined;
  const spki = key.export({ format: 'der', type: 'spki' });
  return spki.length === ED25519_SPKI_PREFIX.length + 32 && spki.subarray(0, ED25519_SPKI_PREFIX.length).equals(ED25519_SPKI_PREFIX)
    ? new Uint8Array(spki.subarray(ED25519_SPKI_PREFIX.length))
    : undefined;
}

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
  return parsed === undefined ? undefined : rawEd25519(parsed.publicKey);
}

/** The node id of an Ed25519 certificate (SHA-256 of its raw public key), or undefined. */
export function peerIdOfCertificate(cert: CertificateInput): NodeId | undefined {
  const key = ed25519KeyOfCertificate(cert);
  return key === undefined ? undefined : publisherIdOf(key);
}

/** A node's TLS files, read and checked. */
export interface TlsMaterial {
  /** The node's identity key: the certificate's key. */
  readonly key: SigningKey;
  readonly keyPem: Buffer;
  /** The certificate, then any intermediates, as given. */
  readonly certPem: Buffer;
  /** The CA bundle peers and clients must chain to; undefined: no mutual TLS. */
  readonly caPem: Buffer | undefined;
}

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile?: string | undefined;
}

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`cannot read the ${what} ${path}: ${(err as Error).message}`);
  }
}

/** The node's identity key from the TLS key file; a missing or non-Ed25519 file is a ConfigError. */
export function readTlsKey(keyFile: string): { key: SigningKey; keyPem: Buffer } {
  const keyPem = readFile(keyFile, 'TLS key (--tls-key, KAD_TLS_KEY)');
  try {
    return { key: SigningKey.fromPem(keyPem.toString('utf8')), keyPem };
  } catch (err) {
    throw new ConfigError(`${keyFile} (--tls-key) holds no Ed25519 private key in PKCS#8 PEM (\`openssl genpkey -algorithm ed25519\`): ${(err as Error).message}`);
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g;

function certificatesOf(pem: Buffer, file: string, what: string): X509Certificate[] {
  const blocks = pem.toString('utf8').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new ConfigError(`${file} (${what}) holds no PEM certificate`);
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new ConfigError(`${file} (${what}): certificate ${i + 1} does not parse: ${(err as Error).message}`);
    }
  });
}

const loaded = new WeakMap<TlsFiles, TlsMaterial>();

/**
 * Reads and checks the TLS files of a node: the key is an Ed25519 key, the certificate carries
 * that very key and is valid now, the CA bundle parses. Read once per settings object: the node's
 * identity and its gRPC credentials share one reading.
 */
export function loadTlsMaterial(tls: TlsFiles, now = Date.now()): TlsMaterial {
  const cached = loaded.get(tls);
  if (cached) return cached;
  const { key, keyPem } = readTlsKey(tls.keyFile);
  const certPem = readFile(tls.certFile, 'TLS certificate (--tls-cert, KAD_TLS_CERT)');
  const [leaf] = certificatesOf(certPem, tls.certFile, '--tls-cert');
  const certKey = rawEd25519(leaf!.publicKey);
  if (certKey === undefined) {
    throw new ConfigError(`${tls.certFile} (--tls-cert) carries a ${leaf!.publicKey.asymmetricKeyType ?? 'non-Ed25519'} key: a node's certificate carries its Ed25519 identity key`);
  }
  if (!Buffer.from(certKey).equals(Buffer.from(key.publicKey))) {
    throw new ConfigError(`${tls.certFile} (--tls-cert) is not the certificate of ${tls.keyFile} (--tls-key): their public keys differ`);
  }
  if (Date.parse(leaf!.validTo) < now) throw new ConfigError(`${tls.certFile} (--tls-cert) expired on ${leaf!.validTo}`);
  if (Date.parse(leaf!.validFrom) > now) throw new ConfigError(`${tls.certFile} (--tls-cert) is not valid before ${leaf!.validFrom}`);
  let caPem: Buffer | undefined;
  if (tls.caFile !== undefined) {
    caPem = readFile(tls.caFile, 'TLS CA bundle (--tls-ca, KAD_TLS_CA)');
    certificatesOf(caPem, tls.caFile, '--tls-ca');
  }
  const material: TlsMaterial = { key, keyPem, certPem, caPem };
  loaded.set(tls, material);
  return material;
}
