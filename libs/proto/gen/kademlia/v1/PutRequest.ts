// Original file: proto/kademlia/v1/dht.proto

import type { Long } from '@grpc/proto-loader';

export interface PutRequest {
  'key'?: (Buffer | Uint8Array | string);
  'value'?: (Buffer | Uint8Array | string);
  'ttlMs'?: (number | string | Long);
  'owner'?: (Buffer | Uint8Array | string);
  'seq'?: (number | string | Long);
  'expiresMs'?: (number | string | Long);
  'signature'?: (Buffer | Uint8Array | string);
  'expectedSeq'?: (number | string | Long);
  'trace'?: (boolean);
  '_expectedSeq'?: "expectedSeq";
}

export interface PutRequest__Output {
  'key': (Buffer);
  'value': (Buffer);
  'ttlMs': (number);
  'owner': (Buffer);
  'seq': (number);
  'expiresMs': (number);
  'signature': (Buffer);
  'expectedSeq'?: (number);
  'trace': (boolean);
  '_expectedSeq'?: "expectedSeq";
}
