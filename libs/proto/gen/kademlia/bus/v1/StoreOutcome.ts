// Original file: proto/kademlia/bus/v1/bus.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../../kademlia/v1/Contact.js';
import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from '../../../kademlia/v1/Record.js';

export interface StoreOutcome {
  'responder'?: (_kademlia_v1_Contact | null);
  'stored'?: (boolean);
  'held'?: (_kademlia_v1_Record | null);
  'error'?: (string);
}

export interface StoreOutcome__Output {
  'responder': (_kademlia_v1_Contact__Output | null);
  'stored': (boolean);
  'held': (_kademlia_v1_Record__Output | null);
  'error': (string);
}
