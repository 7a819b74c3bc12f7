// Original file: proto/kademlia/bus/v1/bus.proto


export interface StorageGetRequest {
  'recordId'?: (Buffer | Uint8Array | string);
}

export interface StorageGetRequest__Output {
  'recordId': (Buffer);
}
