// Original file: proto/kademlia/v1/peer.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';
import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from '../../kademlia/v1/Record.js';

export interface FindValueResponse {
  'responder'?: (_kademlia_v1_Contact | null);
  'record'?: (_kademlia_v1_Record | null);
  'closer'?: (_kademlia_v1_Contact)[];
}

export interface FindValueResponse__Output {
  'responder': (_kademlia_v1_Contact__Output | null);
  'record': (_kademlia_v1_Record__Output | null);
  'closer': (_kademlia_v1_Contact__Output)[];
}
