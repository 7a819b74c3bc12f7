// Original file: proto/kademlia/bus/v1/bus.proto


export interface SelfRequest {
}

export interface SelfRequest__Output {
}
