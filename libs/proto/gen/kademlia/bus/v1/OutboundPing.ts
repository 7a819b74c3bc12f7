// Original file: proto/kademlia/bus/v1/bus.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../../kademlia/v1/Contact.js';

export interface OutboundPing {
  'peer'?: (_kademlia_v1_Contact | null);
  'timeoutMs'?: (number);
}

export interface OutboundPing__Output {
  'peer': (_kademlia_v1_Contact__Output | null);
  'timeoutMs': (number);
}
