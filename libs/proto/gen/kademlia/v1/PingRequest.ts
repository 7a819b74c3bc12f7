// Original file: proto/kademlia/v1/peer.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';

export interface PingRequest {
  'sender'?: (_kademlia_v1_Contact | null);
  'challenge'?: (Buffer | Uint8Array | string);
  'network'?: (string);
}

export interface PingRequest__Output {
  'sender': (_kademlia_v1_Contact__Output | null);
  'challenge': (Buffer);
  'network': (string);
}
