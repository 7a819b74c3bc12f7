// Original file: proto/kademlia/bus/v1/bus.proto


export interface SelfResponse {
  'id'?: (Buffer | Uint8Array | string);
}

export interface SelfResponse__Output {
  'id': (Buffer);
}
