// Original file: proto/kademlia/v1/peer.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';
import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from '../../kademlia/v1/Record.js';

export interface StoreResponse {
  'responder'?: (_kademlia_v1_Contact | null);
  'stored'?: (boolean);
  'held'?: (_kademlia_v1_Record | null);
}

export interface StoreResponse__Output {
  'responder': (_kademlia_v1_Contact__Output | null);
  'stored': (boolean);
  'held': (_kademlia_v1_Record__Output | null);
}
