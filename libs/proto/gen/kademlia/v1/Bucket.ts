// Original file: proto/kademlia/v1/admin.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';

export interface Bucket {
  'depth'?: (number);
  'prefix'?: (Buffer | Uint8Array | string);
  'contacts'?: (_kademlia_v1_Contact)[];
  'replacements'?: (_kademlia_v1_Contact)[];
}

export interface Bucket__Output {
  'depth': (number);
  'prefix': (Buffer);
  'contacts': (_kademlia_v1_Contact__Output)[];
  'replacements': (_kademlia_v1_Contact__Output)[];
}
