// Original file: proto/kademlia/bus/v1/bus.proto

import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from '../../../kademlia/v1/Record.js';

export interface StorageGetResponse {
  'record'?: (_kademlia_v1_Record | null);
}

export interface StorageGetResponse__Output {
  'record': (_kademlia_v1_Record__Output | null);
}
