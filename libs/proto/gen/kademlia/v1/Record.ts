// Original file: proto/kademlia/v1/types.proto

import type { Long } from '@grpc/proto-loader';

export interface Record {
  'key'?: (Buffer | Uint8Array | string);
  'value'?: (Buffer | Uint8Array | string);
  'publisher'?: (Buffer | Uint8Array | string);
  'createdMs'?: (number | string | Long);
  'expiresMs'?: (number | string | Long);
}

export interface Record__Output {
  'key': (Buffer);
  'value': (Buffer);
  'publisher': (Buffer);
  'createdMs': (number);
  'expiresMs': (number);
}
