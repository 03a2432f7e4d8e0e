import { useQuery } from "@tanstack/react-query";

import { fetchHealth } from "@/shared/api";

/** The platform's health for its status page, refreshed every few seconds. */
export function usePlatformStatus() {
  return useQuery({ queryKey: ["health", "status-page"], refetchInterval: 5_000, queryFn: fetchHealth });
}
