// Original file: proto/kademlia/bus/v1/bus.proto

import type { GetRequest as _kademlia_v1_GetRequest, GetRequest__Output as _kademlia_v1_GetRequest__Output } from '../../../kademlia/v1/GetRequest.js';

export interface CoordinatorGet {
  'request'?: (_kademlia_v1_GetRequest | null);
  'timeoutMs'?: (number);
  'localChecked'?: (boolean);
}

export interface CoordinatorGet__Output {
  'request': (_kademlia_v1_GetRequest__Output | null);
  'timeoutMs': (number);
  'localChecked': (boolean);
}
