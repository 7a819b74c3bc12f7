// Original file: proto/kademlia/bus/v1/bus.proto


export interface DumpRequest {
}

export interface DumpRequest__Output {
}
