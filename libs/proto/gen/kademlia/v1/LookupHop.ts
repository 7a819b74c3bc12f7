// Original file: proto/kademlia/v1/dht.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';

export interface LookupHop {
  'round'?: (number);
  'peer'?: (_kademlia_v1_Contact | null);
  'rpc'?: (string);
  'distanceBits'?: (number);
  'latencyMs'?: (number | string);
  'outcome'?: (string);
}

export interface LookupHop__Output {
  'round': (number);
  'peer': (_kademlia_v1_Contact__Output | null);
  'rpc': (string);
  'distanceBits': (number);
  'latencyMs': (number);
  'outcome': (string);
}
