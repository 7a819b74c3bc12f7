// Original file: proto/kademlia/bus/v1/bus.proto


export interface StorageDueResponse {
  'replicate'?: (Buffer | Uint8Array | string)[];
  'republish'?: (Buffer | Uint8Array | string)[];
}

export interface StorageDueResponse__Output {
  'replicate': (Buffer)[];
  'republish': (Buffer)[];
}
