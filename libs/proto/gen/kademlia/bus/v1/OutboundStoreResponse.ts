// Original file: proto/kademlia/bus/v1/bus.proto

import type { StoreOutcome as _kademlia_bus_v1_StoreOutcome, StoreOutcome__Output as _kademlia_bus_v1_StoreOutcome__Output } from '../../../kademlia/bus/v1/StoreOutcome.js';

export interface OutboundStoreResponse {
  'outcomes'?: (_kademlia_bus_v1_StoreOutcome)[];
}

export interface OutboundStoreResponse__Output {
  'outcomes': (_kademlia_bus_v1_StoreOutcome__Output)[];
}
