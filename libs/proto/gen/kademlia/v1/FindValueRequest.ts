// Original file: proto/kademlia/v1/peer.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';

export interface FindValueRequest {
  'sender'?: (_kademlia_v1_Contact | null);
  'recordId'?: (Buffer | Uint8Array | string);
  'network'?: (string);
}

export interface FindValueRequest__Output {
  'sender': (_kademlia_v1_Contact__Output | null);
  'recordId': (Buffer);
  'network': (string);
}
