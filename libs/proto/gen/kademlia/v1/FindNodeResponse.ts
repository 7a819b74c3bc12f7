// Original file: proto/kademlia/v1/peer.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';

export interface FindNodeResponse {
  'responder'?: (_kademlia_v1_Contact | null);
  'closer'?: (_kademlia_v1_Contact)[];
}

export interface FindNodeResponse__Output {
  'responder': (_kademlia_v1_Contact__Output | null);
  'closer': (_kademlia_v1_Contact__Output)[];
}
