// Original file: proto/kademlia/bus/v1/bus.proto

import type { Record as _kademlia_v1_Record, Record__Output as _kademlia_v1_Record__Output } from '../../../kademlia/v1/Record.js';

export interface StoragePutResponse {
  'stored'?: (boolean);
  'held'?: (_kademlia_v1_Record | null);
}

export interface StoragePutResponse__Output {
  'stored': (boolean);
  'held': (_kademlia_v1_Record__Output | null);
}
