// Original file: proto/kademlia/v1/types.proto

import type { Long } from '@grpc/proto-loader';

export interface RecordOwner {
  'publicKey'?: (Buffer | Uint8Array | string);
  'seq'?: (number | string | Long);
  'signature'?: (Buffer | Uint8Array | string);
}

export interface RecordOwner__Output {
  'publicKey': (Buffer);
  'seq': (number);
  'signature': (Buffer);
}
