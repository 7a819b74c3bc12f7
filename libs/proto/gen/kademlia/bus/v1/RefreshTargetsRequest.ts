// Original file: proto/kademlia/bus/v1/bus.proto


export interface RefreshTargetsRequest {
  'idleMs'?: (number);
  'all'?: (boolean);
}

export interface RefreshTargetsRequest__Output {
  'idleMs': (number);
  'all': (boolean);
}
