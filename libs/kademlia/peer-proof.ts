/**
 * A peer's proof that it holds the key behind the node id it claims (S/Kademlia's static
 * binding, checked as go-libp2p checks a peer id): the caller of a Ping sends a fresh random
 * challenge; the responder signs the challenge together with the network and the address it
 * advertises, and sends its public key. The caller accepts when SHA-256(public key) is the id the
 * responder claims, the signature verifies, and the signed address is the one it dialled.
 *
 * Signing the address stops a relay: a node that claims another's id and passes our challenge on
 * gets back a proof for the other node's address, never for its own. Pure: the signature scheme
 * is passed in, like every check in libs/kademlia.
 */
import { idEquals, type NodeId } from './id.js';
import { concat, publisherIdOf, u32, type VerifySignature } from './record-signature.js';

export const CHALLENGE_BYTES = 32;

const encoder = new TextEncoder();
const PING_TAG = encoder.encode('kad-ping-v1\0');

/** What a responder signs: tag, u32-prefixed network, the challenge, u32-prefixed address. */
export function pingProofBytes(network: string, challenge: Uint8Array, address: string): Uint8Array {
  const net = encoder.encode(network);
  const addr = encoder.encode(address);
  return concat([PING_TAG, u32(net.length), net, challenge, u32(addr.length), addr]);
}

export interface PingProof {
  readonly network: string;
  readonly challenge: Uint8Array;
  /** The address the caller dialled. */
  readonly dialled: string;
  /** The id the responder claims. */
  readonly id: NodeId;
  readonly publicKey: Uint8Array;
  readonly proof: Uint8Array;
}

/** Why a proof fails, or undefined when it holds. */
export function checkPingProof(p: PingProof, verify: VerifySignature): string | undefined {
  if (p.challenge.length !== CHALLENGE_BYTES) return `the challenge must be ${CHALLENGE_BYTES} bytes`;
  if (p.publicKey.length === 0 || p.proof.length === 0) return 'no proof of its id';
  if (!idEquals(publisherIdOf(p.publicKey), p.id)) return 'its id is not the SHA-256 of its public key';
  if (!verify(p.publicKey, pingProofBytes(p.network, p.challenge, p.dialled), p.proof)) {
    return 'its proof does not verify for the address dialled';
  }
  return undefined;
}
