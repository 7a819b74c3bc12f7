// Original file: proto/kademlia/v1/bus.proto


export interface StoragePutResponse {
  'stored'?: (boolean);
}

export interface StoragePutResponse__Output {
  'stored': (boolean);
}
