// Original file: proto/kademlia/v1/peer.proto

import type { Contact as _kademlia_v1_Contact, Contact__Output as _kademlia_v1_Contact__Output } from '../../kademlia/v1/Contact.js';
import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from '../../kademlia/v1/Record.js';
import type { Long } from '@grpc/proto-loader';

export interface StoreRequest {
  'sender'?: (_kademlia_v1_Contact | null);
  'record'?: (_kademlia_v1_Record | null);
  'expectedSeq'?: (number | string | Long);
  'network'?: (string);
  '_expectedSeq'?: "expectedSeq";
}

export interface StoreRequest__Output {
  'sender': (_kademlia_v1_Contact__Output | null);
  'record': (_kademlia_v1_Record__Output | null);
  'expectedSeq'?: (number);
  'network': (string);
  '_expectedSeq'?: "expectedSeq";
}
