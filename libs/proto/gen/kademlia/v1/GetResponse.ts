// Original file: proto/kademlia/v1/dht.proto

import type { LookupHop as _kademlia_v1_LookupHop, LookupHop__Output as _kademlia_v1_LookupHop__Output } from '../../kademlia/v1/LookupHop.js';
import type { Long } from '@grpc/proto-loader';

export interface GetResponse {
  'found'?: (boolean);
  'value'?: (Buffer | Uint8Array | string);
  'createdMs'?: (number | string | Long);
  'publisher'?: (Buffer | Uint8Array | string);
  'expiresMs'?: (number | string | Long);
  'peerRpcs'?: (number);
  'lookupRounds'?: (number);
  'seq'?: (number | string | Long);
  'owner'?: (Buffer | Uint8Array | string);
  'signature'?: (Buffer | Uint8Array | string);
  'hops'?: (_kademlia_v1_LookupHop)[];
  'traceId'?: (string);
}

export interface GetResponse__Output {
  'found': (boolean);
  'value': (Buffer);
  'createdMs': (number);
  'publisher': (Buffer);
  'expiresMs': (number);
  'peerRpcs': (number);
  'lookupRounds': (number);
  'seq': (number);
  'owner': (Buffer);
  'signature': (Buffer);
  'hops': (_kademlia_v1_LookupHop__Output)[];
  'traceId': (string);
}
