// Original file: proto/kademlia/bus/v1/bus.proto

import type { PutRequest as _kademlia_v1_PutRequest, PutRequest__Output as _kademlia_v1_PutRequest__Output } from '../../../kademlia/v1/PutRequest.js';

export interface CoordinatorPut {
  'request'?: (_kademlia_v1_PutRequest | null);
  'timeoutMs'?: (number);
}

export interface CoordinatorPut__Output {
  'request': (_kademlia_v1_PutRequest__Output | null);
  'timeoutMs': (number);
}
