// Original file: proto/kademlia/bus/v1/bus.proto


export interface StorageIdsRequest {
  'after'?: (Buffer | Uint8Array | string);
  'limit'?: (number);
  'near'?: (Buffer | Uint8Array | string);
}

export interface StorageIdsRequest__Output {
  'after': (Buffer);
  'limit': (number);
  'near': (Buffer);
}
