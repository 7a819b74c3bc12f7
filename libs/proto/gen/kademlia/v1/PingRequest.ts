// Original file: proto/kademlia/v1/peer.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';

export interface PingRequest {
  'sender'?: (_kademlia_v1_Contact | null);
  'network'?: (string);
}

export interface PingRequest__Output {
  'sender': (_kademlia_v1_Contact__Output | null);
  'network': (string);
}
