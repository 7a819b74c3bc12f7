// Original file: proto/kademlia/bus/v1/bus.proto

import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from '../../../kademlia/v1/Record.js';
import type { Long } from '@grpc/proto-loader';

export interface StoragePutRequest {
  'record'?: (_kademlia_v1_Record | null);
  'expectedSeq'?: (number | string | Long);
  'quotaKey'?: (string);
  '_expectedSeq'?: "expectedSeq";
}

export interface StoragePutRequest__Output {
  'record': (_kademlia_v1_Record__Output | null);
  'expectedSeq'?: (number);
  'quotaKey': (string);
  '_expectedSeq'?: "expectedSeq";
}
