// Original file: proto/kademlia/v1/dht.proto


export interface GetRequest {
  'key'?: (Buffer | Uint8Array | string);
  'quorum'?: (number);
  'owner'?: (Buffer | Uint8Array | string);
  'trace'?: (boolean);
}

export interface GetRequest__Output {
  'key': (Buffer);
  'quorum': (number);
  'owner': (Buffer);
  'trace': (boolean);
}
