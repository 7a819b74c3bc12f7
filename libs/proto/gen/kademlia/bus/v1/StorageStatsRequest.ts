// Original file: proto/kademlia/bus/v1/bus.proto


export interface StorageStatsRequest {
}

export interface StorageStatsRequest__Output {
}
