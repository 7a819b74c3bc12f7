// Original file: proto/kademlia/bus/v1/bus.proto


export interface StorageDropResponse {
  'dropped'?: (boolean);
}

export interface StorageDropResponse__Output {
  'dropped': (boolean);
}
