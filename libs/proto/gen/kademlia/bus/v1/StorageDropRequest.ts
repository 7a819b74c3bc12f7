// Original file: proto/kademlia/bus/v1/bus.proto


export interface StorageDropRequest {
  'recordId'?: (Buffer | Uint8Array | string);
}

export interface StorageDropRequest__Output {
  'recordId': (Buffer);
}
