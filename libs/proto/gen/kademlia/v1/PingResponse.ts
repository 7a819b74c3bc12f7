// Original file: proto/kademlia/v1/peer.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';

export interface PingResponse {
  'responder'?: (_kademlia_v1_Contact | null);
  'publicKey'?: (Buffer | Uint8Array | string);
  'proof'?: (Buffer | Uint8Array | string);
}

export interface PingResponse__Output {
  'responder': (_kademlia_v1_Contact__Output | null);
  'publicKey': (Buffer);
  'proof': (Buffer);
}
