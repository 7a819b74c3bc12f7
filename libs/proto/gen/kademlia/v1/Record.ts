// Original file: proto/kademlia/v1/types.proto

import type { RecordOwner as _kademlia_v1_RecordOwner, RecordOwner__Output as _kademlia_v1_RecordOwner__Output } from '../../kademlia/v1/RecordOwner.js';
import type { Long } from '@grpc/proto-loader';

export interface Record {
  'key'?: (Buffer | Uint8Array | string);
  'value'?: (Buffer | Uint8Array | string);
  'publisher'?: (Buffer | Uint8Array | string);
  'createdMs'?: (number | string | Long);
  'expiresMs'?: (number | string | Long);
  'logical'?: (number);
  'publisherKey'?: (Buffer | Uint8Array | string);
  'signature'?: (Buffer | Uint8Array | string);
  'owner'?: (_kademlia_v1_RecordOwner | null);
}

export interface Record__Output {
  'key': (Buffer);
  'value': (Buffer);
  'publisher': (Buffer);
  'createdMs': (number);
  'expiresMs': (number);
  'logical': (number);
  'publisherKey': (Buffer);
  'signature': (Buffer);
  'owner': (_kademlia_v1_RecordOwner__Output | null);
}
