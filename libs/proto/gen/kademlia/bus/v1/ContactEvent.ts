// Original file: proto/kademlia/bus/v1/bus.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../../kademlia/v1/Contact.js';

export interface ContactEvent {
  'contact'?: (_kademlia_v1_Contact | null);
  'drop'?: (boolean);
  'verified'?: (boolean);
}

export interface ContactEvent__Output {
  'contact': (_kademlia_v1_Contact__Output | null);
  'drop': (boolean);
  'verified': (boolean);
}
