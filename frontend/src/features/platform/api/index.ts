import { $api } from "@/shared/api";

/** GET /api/chain/writes/ (operator): the outbox's writes in flight, the oldest waiting, recent failures. */
export function useChainWrites({ refetchInterval }: { refetchInterval?: number } = {}) {
  return $api.useQuery("get", "/api/chain/writes/", {}, refetchInterval ? { refetchInterval } : {});
}
