// Original file: proto/kademlia/bus/v1/bus.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../../kademlia/v1/Contact.js';
import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from '../../../kademlia/v1/Record.js';
import type { Long } from '@grpc/proto-loader';

export interface OutboundStore {
  'peers'?: (_kademlia_v1_Contact)[];
  'record'?: (_kademlia_v1_Record | null);
  'timeoutMs'?: (number);
  'expectedSeq'?: (number | string | Long);
  '_expectedSeq'?: "expectedSeq";
}

export interface OutboundStore__Output {
  'peers': (_kademlia_v1_Contact__Output)[];
  'record': (_kademlia_v1_Record__Output | null);
  'timeoutMs': (number);
  'expectedSeq'?: (number);
  '_expectedSeq'?: "expectedSeq";
}
