// Original file: proto/kademlia/bus/v1/bus.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../../kademlia/v1/Contact.js';

export interface OutboundFindNode {
  'peer'?: (_kademlia_v1_Contact | null);
  'target'?: (Buffer | Uint8Array | string);
  'timeoutMs'?: (number);
}

export interface OutboundFindNode__Output {
  'peer': (_kademlia_v1_Contact__Output | null);
  'target': (Buffer);
  'timeoutMs': (number);
}
