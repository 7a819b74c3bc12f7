/**
 * A node's identity: an Ed25519 key pair and the node id bound to it, id = SHA-256(public key)
 * (S/Kademlia's static binding). The key is kept in `<data dir>/node-key`, so a restarted node
 * keeps its id and goes on signing as the same publisher; every actor process of a split node
 * reads the same file. A node with no data dir draws a fresh key on every start.
 *
 * With TLS (KAD_TLS_CERT, KAD_TLS_KEY) the TLS key IS the node's key: the id is SHA-256 of the
 * certificate's public key, so a peer's certificate names its node id (certificate.ts), and
 * `<data dir>/node-key` is not used.
 */
import { join } from 'node:path';
import { publisherIdOf, type NodeId } from '../kademlia/index.js';
import { SigningKey } from './ed25519.js';
import { loadOrCreateKeyFile } from './key-file.js';
import { loadTlsMaterial, type TlsFiles } from './certificate.js';

export const NODE_KEY_FILE = 'node-key';

export interface NodeIdentity {
  readonly id: NodeId;
  readonly key: SigningKey;
}

export function identityOf(key: SigningKey): NodeIdentity {
  return { id: publisherIdOf(key.publicKey), key };
}

/**
 * The node's identity: the TLS key when `tls` is given (checked against its certificate; a
 * missing, malformed or mismatched file is a ConfigError), else the key in the data dir, else a
 * fresh one.
 */
export function loadNodeIdentity(dataDir: string | undefined, tls?: TlsFiles): NodeIdentity {
  if (tls !== undefined) return identityOf(loadTlsMaterial(tls).key);
  return identityOf(dataDir === undefined ? SigningKey.generate() : loadOrCreateKeyFile(join(dataDir, NODE_KEY_FILE)));
}
