import { useQueryClient } from "@tanstack/react-query";

import { $api } from "@/shared/api";

export function useOrganizations(query: { kind?: "exporter" | "bank" | "regulator" | "operator"; page?: number; name?: string }) {
  return $api.useQuery("get", "/api/organizations/", { params: { query } }, {
    refetchInterval: (q) => (q.state.data?.results.some((org) => org.chain?.status === "pending") ? 3000 : false),
  });
}

export function useOnboardOrganization() {
  const queryClient = useQueryClient();
  return $api.useMutation("post", "/api/organizations/", {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["get", "/api/organizations/"] }),
  });
}
