// Original file: proto/kademlia/bus/v1/bus.proto


export interface ClosestRequest {
  'target'?: (Buffer | Uint8Array | string);
  'count'?: (number);
  'lookup'?: (boolean);
}

export interface ClosestRequest__Output {
  'target': (Buffer);
  'count': (number);
  'lookup': (boolean);
}
