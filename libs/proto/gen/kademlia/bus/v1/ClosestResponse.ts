// Original file: proto/kademlia/bus/v1/bus.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../../kademlia/v1/Contact.js';

export interface ClosestResponse {
  'contacts'?: (_kademlia_v1_Contact)[];
}

export interface ClosestResponse__Output {
  'contacts': (_kademlia_v1_Contact__Output)[];
}
