import { useQueryClient } from "@tanstack/react-query";

import { $api } from "@/shared/api";

export function useFxReceipts(page: number) {
  return $api.useQuery("get", "/api/fx-receipts/", { params: { query: { page } } });
}

/** Receivables behind applications to this bank that are still open. */
export function useOpenReceivables() {
  return $api.useQuery("get", "/api/receivables/", { params: { query: { status: "open" } } });
}

export function useRecordFxReceipt() {
  const queryClient = useQueryClient();
  return $api.useMutation("post", "/api/fx-receipts/", {
    onSettled: async () => {
      await Promise.all(
        ["/api/fx-receipts/", "/api/financings/", "/api/financings/{id}/", "/api/receivables/", "/api/receivables/{id}/"].map((path) =>
          queryClient.invalidateQueries({ queryKey: ["get", path] }),
        ),
      );
    },
  });
}
