import { useQuery } from "@tanstack/react-query";

import type { Health } from "./index";

/**
 * GET /api/health/, read whatever its status: a 503 carries the details of what is down. One query
 * for every screen that reads it (the proof check's published chain facts, the operator's status
 * page); `refetchInterval` for a screen that follows it live.
 */
export function useHealth({ refetchInterval }: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: ["health"],
    staleTime: 30_000,
    ...(refetchInterval ? { refetchInterval } : {}),
    queryFn: async (): Promise<Health> => {
      const response = await fetch("/api/health/");
      return (await response.json()) as Health;
    },
  });
}
