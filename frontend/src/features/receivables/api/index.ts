import { useQueryClient } from "@tanstack/react-query";

import { $api } from "@/shared/api";

export function useReceivables(query: { page?: number; status?: "open" | "settled" }) {
  return $api.useQuery("get", "/api/receivables/", { params: { query } });
}

export function useReceivable(id: string) {
  return $api.useQuery("get", "/api/receivables/{id}/", { params: { path: { id } } });
}

/** The exporter's declarations in one currency that can still back a receivable. */
export function useDeclarationsToPick(currency: string) {
  return $api.useQuery(
    "get",
    "/api/customs/declarations/",
    { params: { query: { currency } } },
    { enabled: /^[A-Z]{3}$/.test(currency) },
  );
}

export function useSubmitReceivable() {
  const queryClient = useQueryClient();
  return $api.useMutation("post", "/api/receivables/", {
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["get", "/api/receivables/"] });
      await queryClient.invalidateQueries({ queryKey: ["get", "/api/customs/declarations/"] });
    },
  });
}
