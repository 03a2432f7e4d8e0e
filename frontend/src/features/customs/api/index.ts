import { useQueryClient } from "@tanstack/react-query";

import { $api } from "@/shared/api";

export function useDeclarations(query: { page?: number; number?: string; currency?: string; has_available?: boolean }) {
  return $api.useQuery("get", "/api/customs/declarations/", { params: { query } });
}

export function useExporters() {
  return $api.useQuery("get", "/api/organizations/", { params: { query: { kind: "exporter" } } });
}

export function useFeedDeclaration() {
  const queryClient = useQueryClient();
  return $api.useMutation("post", "/api/customs/declarations/", {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["get", "/api/customs/declarations/"] }),
  });
}
