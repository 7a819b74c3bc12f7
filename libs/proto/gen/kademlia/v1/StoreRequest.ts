// Original file: proto/kademlia/v1/peer.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';
import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from '../../kademlia/v1/Record.js';

export interface StoreRequest {
  'sender'?: (_kademlia_v1_Contact | null);
  'record'?: (_kademlia_v1_Record | null);
  'network'?: (string);
}

export interface StoreRequest__Output {
  'sender': (_kademlia_v1_Contact__Output | null);
  'record': (_kademlia_v1_Record__Output | null);
  'network': (string);
}
