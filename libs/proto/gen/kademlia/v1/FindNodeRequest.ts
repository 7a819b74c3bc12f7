// Original file: proto/kademlia/v1/peer.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';

export interface FindNodeRequest {
  'sender'?: (_kademlia_v1_Contact | null);
  'target'?: (Buffer | Uint8Array | string);
  'network'?: (string);
}

export interface FindNodeRequest__Output {
  'sender': (_kademlia_v1_Contact__Output | null);
  'target': (Buffer);
  'network': (string);
}
