import { useQueryClient } from "@tanstack/react-query";

import { $api, type FinancingStatus } from "@/shared/api";

export function useFinancings(query: { page?: number; status?: FinancingStatus[]; receivable?: string }) {
  // While any is waiting for the chain, look again every few seconds.
  return $api.useQuery("get", "/api/financings/", { params: { query } }, {
    refetchInterval: (q) => (q.state.data?.results.some((f) => f.chain?.status === "pending") ? 3000 : false),
  });
}

export function useFinancing(id: string) {
  return $api.useQuery("get", "/api/financings/{id}/", { params: { path: { id } } }, {
    refetchInterval: (q) =>
      q.state.data?.chain?.status === "pending" || q.state.data?.chain_record?.status === "pending" ? 2000 : false,
  });
}

export function useBanks() {
  return $api.useQuery("get", "/api/organizations/", { params: { query: { kind: "bank" } } });
}

function useRefreshAfter() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all(
      ["/api/financings/", "/api/financings/{id}/", "/api/receivables/", "/api/receivables/{id}/", "/api/customs/declarations/"].map(
        (path) => queryClient.invalidateQueries({ queryKey: ["get", path] }),
      ),
    );
  };
}

export function useApply() {
  const refresh = useRefreshAfter();
  return $api.useMutation("post", "/api/financings/", { onSettled: refresh });
}

export function useApprove() {
  const refresh = useRefreshAfter();
  return $api.useMutation("post", "/api/financings/{id}/approve/", { onSettled: refresh });
}

export function useReject() {
  const refresh = useRefreshAfter();
  return $api.useMutation("post", "/api/financings/{id}/reject/", { onSettled: refresh });
}

export function useDisburse() {
  const refresh = useRefreshAfter();
  return $api.useMutation("post", "/api/financings/{id}/disburse/", { onSettled: refresh });
}

export function useWithdraw() {
  const refresh = useRefreshAfter();
  return $api.useMutation("post", "/api/financings/{id}/withdraw/", { onSettled: refresh });
}
