// Original file: proto/kademlia/bus/v1/bus.proto


export interface CoordinatorFindNode {
  'target'?: (Buffer | Uint8Array | string);
  'timeoutMs'?: (number);
}

export interface CoordinatorFindNode__Output {
  'target': (Buffer);
  'timeoutMs': (number);
}
