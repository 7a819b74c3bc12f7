/**
 * X.509 certificates whose key is a node's Ed25519 identity key: with KAD_TLS_KEY the TLS key IS
 * the node's key, so a certificate names a node id (SHA-256 of its raw public key) and a TLS
 * handshake proves the peer holds that id's key. The TLS files are read and checked here once,
 * at startup; anything missing or inconsistent is a ConfigError naming the file.
 */
import { X509Certificate } from 'node:crypto';
import { type NodeId, publisherIdOf } from '../kademlia/index.js';
import { ConfigError, readSettingFile } from '../errors/index.js';
import { SigningKey, rawEd25519PublicKey } from './ed25519.js';
import { ed25519KeyOfCertificate, type CertificateInput } from '../client/node.js';

export {
  NODE_TLS_SERVER_NAME,
  checkNodeCertificate,
  ed25519KeyOfCertificate,
  serverNameOptions,
  type CertificateInput,
} from '../client/node.js';

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

/** The node's identity key from the TLS key file; a missing or non-Ed25519 file is a ConfigError. */
export function readTlsKey(keyFile: string): { key: SigningKey; keyPem: Buffer } {
  const keyPem = readSettingFile(keyFile, 'TLS key', 'tls-key');
  try {
    return { key: SigningKey.fromPem(keyPem.toString('utf8')), keyPem };
  } catch (err) {
    throw new ConfigError(
      `${keyFile} (--tls-key) holds no Ed25519 private key in PKCS#8 PEM (\`openssl genpkey -algorithm ed25519\`): ${(err as Error).message}`,
    );
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
  const certPem = readSettingFile(tls.certFile, 'TLS certificate', 'tls-cert');
  const [leaf] = certificatesOf(certPem, tls.certFile, '--tls-cert');
  const certKey = rawEd25519PublicKey(leaf!.publicKey);
  if (certKey === undefined) {
    throw new ConfigError(
      `${tls.certFile} (--tls-cert) carries a ${leaf!.publicKey.asymmetricKeyType ?? 'non-Ed25519'} key: a node's certificate carries its Ed25519 identity key`,
    );
  }
  if (!Buffer.from(certKey).equals(Buffer.from(key.publicKey))) {
    throw new ConfigError(`${tls.certFile} (--tls-cert) is not the certificate of ${tls.keyFile} (--tls-key): their public keys differ`);
  }
  if (Date.parse(leaf!.validTo) < now) throw new ConfigError(`${tls.certFile} (--tls-cert) expired on ${leaf!.validTo}`);
  if (Date.parse(leaf!.validFrom) > now) throw new ConfigError(`${tls.certFile} (--tls-cert) is not valid before ${leaf!.validFrom}`);
  let caPem: Buffer | undefined;
  if (tls.caFile !== undefined) {
    caPem = readSettingFile(tls.caFile, 'TLS CA bundle', 'tls-ca');
    certificatesOf(caPem, tls.caFile, '--tls-ca');
  }
  const material: TlsMaterial = { key, keyPem, certPem, caPem };
  loaded.set(tls, material);
  return material;
}
