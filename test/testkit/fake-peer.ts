/**
 * Peers the tests write by hand (hostile, impostor, sybil): each has a real Ed25519 key and the
 * id bound to it, and can answer a node's challenge Ping as a real node does — or, with a made-up
 * id, fail to. Serves the Peer service on a real gRPC port.
 */
import * as grpc from '@grpc/grpc-js';
import { SigningKey } from '../../libs/identity/index.js';
import { commonPrefixLength, pingProofBytes, publisherIdOf } from '../../libs/kademlia/index.js';
import { kademliaPackage, type PeerHandlers, type v1 } from '../../libs/proto/index.js';
import { DEFAULT_NETWORK } from '../../libs/runtime/index.js';

export class FakePeerIdentity {
  readonly key = SigningKey.generate();
  /** The id it claims: its own (bound to its key) unless given one it cannot prove. */
  readonly id: Uint8Array;

  constructor(
    readonly address: string,
    claimedId?: Uint8Array,
  ) {
    this.id = claimedId ?? publisherIdOf(this.key.publicKey);
  }

  /** An identity whose own (provable) id shares its first `bits` bits with `id`: a contact that
   * lands in the bucket next to that node's own, which always has room (it is the one that
   * splits), so the node admits it whatever else its table holds. */
  static near(address: string, id: Uint8Array, bits = 8): FakePeerIdentity {
    for (;;) {
      const candidate = new FakePeerIdentity(address);
      if (commonPrefixLength(candidate.id, id) >= bits) return candidate;
    }
  }

  contact(): v1.Contact {
    return { id: Buffer.from(this.id), address: this.address };
  }

  /** A Ping answer, with a proof of the key when the caller sent a challenge. */
  pingReply(request: v1.PingRequest__Output, network = DEFAULT_NETWORK): v1.PingResponse {
    if (request.challenge.length === 0) return { responder: this.contact() };
    const proof = this.key.sign(pingProofBytes(network, request.challenge, this.address));
    return { responder: this.contact(), publicKey: Buffer.from(this.key.publicKey), proof: Buffer.from(proof) };
  }
}

/** Serves `handlers` as the Peer service at the identity's address; returns the server. */
export async function servePeer(address: string, handlers: PeerHandlers): Promise<grpc.Server> {
  const server = new grpc.Server();
  server.addService(kademliaPackage().Peer.service, handlers);
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
  );
  return server;
}

/** A peer that answers Pings (proving its key) and nothing else of interest: no contacts, stores nothing. */
export function quietPeerHandlers(identity: FakePeerIdentity): PeerHandlers {
  return {
    Ping: (call, cb) => cb(null, identity.pingReply(call.request)),
    FindNode: (_call, cb) => cb(null, { responder: identity.contact(), closer: [] }),
    FindValue: (_call, cb) => cb(null, { responder: identity.contact(), closer: [] }),
    Store: (_call, cb) => cb(null, { responder: identity.contact(), stored: false }),
  };
}
