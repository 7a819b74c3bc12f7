// Original file: proto/kademlia/bus/v1/bus.proto


export interface StorageIdsResponse {
  'ids'?: (Buffer | Uint8Array | string)[];
}

export interface StorageIdsResponse__Output {
  'ids': (Buffer)[];
}
