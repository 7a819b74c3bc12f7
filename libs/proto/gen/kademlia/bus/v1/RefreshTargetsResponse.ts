// Original file: proto/kademlia/bus/v1/bus.proto


export interface RefreshTargetsResponse {
  'targets'?: (Buffer | Uint8Array | string)[];
}

export interface RefreshTargetsResponse__Output {
  'targets': (Buffer)[];
}
