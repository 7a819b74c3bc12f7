// Original file: proto/kademlia/bus/v1/bus.proto

import type { Long } from '@grpc/proto-loader';

export interface StorageStatsResponse {
  'records'?: (number);
  'bytes'?: (number | string | Long);
}

export interface StorageStatsResponse__Output {
  'records': (number);
  'bytes': (number);
}
