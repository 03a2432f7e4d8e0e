import { useQuery, useQueryClient } from "@tanstack/react-query";

import { $api, fetchClient } from "@/shared/api";

export function useAuthorizations(query: { page?: number; status?: "active" | "revoked" | "expired" }) {
  return $api.useQuery("get", "/api/credit-authorizations/", { params: { query } }, {
    refetchInterval: (q) => (q.state.data?.results.some((a) => a.chain?.status === "pending") ? 3000 : false),
  });
}

export function useAuthorization(id: string) {
  return $api.useQuery("get", "/api/credit-authorizations/{id}/", { params: { path: { id } } });
}

export function useAccesses(id: string) {
  return $api.useQuery("get", "/api/credit-authorizations/{id}/accesses/", { params: { path: { id } } });
}

export function useBanks() {
  return $api.useQuery("get", "/api/organizations/", { params: { query: { kind: "bank" } } });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[1]).startsWith("/api/credit-authorizations/") });
}

export function useGrant() {
  return $api.useMutation("post", "/api/credit-authorizations/", { onSettled: useRefresh() });
}

export function useRevoke() {
  return $api.useMutation("post", "/api/credit-authorizations/{id}/revoke/", { onSettled: useRefresh() });
}

/** Every lookup this bank made, served or refused (the access log, seen from the bank). */
export function useOurLookups() {
  return $api.useQuery("get", "/api/credit/accesses/", { params: { query: {} } });
}

/** One lookup, run when the officer asks (every served lookup is logged and recorded on chain). */
export function useCreditReport(request: { exporterId: string; authorizationId: string; nonce: number } | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ["credit-report", request],
    enabled: request !== null,
    retry: false,
    staleTime: Infinity,
    queryFn: async () => {
      try {
        const { data } = await fetchClient.GET("/api/credit-reports/{exporter_id}/", {
          params: { path: { exporter_id: request!.exporterId }, query: { authorization: request!.authorizationId } },
        });
        return data!;
      } finally {
        // Served or refused, the lookup is now in the log.
        void queryClient.invalidateQueries({ queryKey: ["get", "/api/credit/accesses/"] });
      }
    },
  });
}
