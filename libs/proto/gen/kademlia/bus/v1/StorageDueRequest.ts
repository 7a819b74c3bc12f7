// Original file: proto/kademlia/bus/v1/bus.proto

import type { Long } from '@grpc/proto-loader';

export interface StorageDueRequest {
  'selfId'?: (Buffer | Uint8Array | string);
  'replicateMs'?: (number | string | Long);
  'republishMs'?: (number | string | Long);
  'limit'?: (number);
}

export interface StorageDueRequest__Output {
  'selfId': (Buffer);
  'replicateMs': (number);
  'republishMs': (number);
  'limit': (number);
}
