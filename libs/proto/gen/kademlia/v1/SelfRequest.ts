// Original file: proto/kademlia/v1/bus.proto


export interface SelfRequest {
}

export interface SelfRequest__Output {
}
