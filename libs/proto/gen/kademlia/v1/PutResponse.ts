// Original file: proto/kademlia/v1/dht.proto


export interface PutResponse {
  'acknowledged'?: (number);
  'attempted'?: (number);
  'recordId'?: (Buffer | Uint8Array | string);
}

export interface PutResponse__Output {
  'acknowledged': (number);
  'attempted': (number);
  'recordId': (Buffer);
}
