// Original file: proto/kademlia/bus/v1/bus.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../../kademlia/v1/Contact.js';

export interface OutboundFindValue {
  'peer'?: (_kademlia_v1_Contact | null);
  'recordId'?: (Buffer | Uint8Array | string);
  'timeoutMs'?: (number);
}

export interface OutboundFindValue__Output {
  'peer': (_kademlia_v1_Contact__Output | null);
  'recordId': (Buffer);
  'timeoutMs': (number);
}
