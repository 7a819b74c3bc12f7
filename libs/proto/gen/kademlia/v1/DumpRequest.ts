// Original file: proto/kademlia/v1/bus.proto


export interface DumpRequest {
}

export interface DumpRequest__Output {
}
