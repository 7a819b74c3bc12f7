// Original file: proto/kademlia/v1/dht.proto

import type { LookupHop as _kademlia_v1_LookupHop, LookupHop__Output as _kademlia_v1_LookupHop__Output } from '../../kademlia/v1/LookupHop.js';

export interface PutResponse {
  'acknowledged'?: (number);
  'attempted'?: (number);
  'recordId'?: (Buffer | Uint8Array | string);
  'hops'?: (_kademlia_v1_LookupHop)[];
  'traceId'?: (string);
}

export interface PutResponse__Output {
  'acknowledged': (number);
  'attempted': (number);
  'recordId': (Buffer);
  'hops': (_kademlia_v1_LookupHop__Output)[];
  'traceId': (string);
}
