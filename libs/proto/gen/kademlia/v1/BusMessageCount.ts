// Original file: proto/kademlia/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

export interface BusMessageCount {
  'actor'?: (string);
  'verb'?: (string);
  'inProcess'?: (number | string | Long);
  'overNats'?: (number | string | Long);
}

export interface BusMessageCount__Output {
  'actor': (string);
  'verb': (string);
  'inProcess': (number);
  'overNats': (number);
}
