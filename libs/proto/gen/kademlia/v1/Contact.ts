// Original file: proto/kademlia/v1/types.proto


export interface Contact {
  'id'?: (Buffer | Uint8Array | string);
  'address'?: (string);
}

export interface Contact__Output {
  'id': (Buffer);
  'address': (string);
}
