// The one way kubets opens an etcd3 client, so the apiserver and the benchmark's raw-etcd baseline
// talk to etcd with exactly the same client configuration.
import { Etcd3 } from 'etcd3';

export function newEtcdClient(hosts: string[]): Etcd3 {
  return new Etcd3({
    hosts,
    grpcOptions: {
      // Large values and pages (a cache load, a list) must not trip gRPC's default 4 MiB receive limit.
      'grpc.max_receive_message_length': -1,
      // channelz keeps per-call statistics for a debugging service nobody queries here; off, each
      // etcd call costs the client measurably less CPU.
      'grpc.enable_channelz': 0,
    },
  });
}
