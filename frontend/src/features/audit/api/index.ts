import { $api } from "@/shared/api";

export function useAuditEvents(query: { page?: number; type?: string; object_type?: string; object_id?: string }) {
  return $api.useQuery("get", "/api/audit/events/", { params: { query } });
}

export function useAuditEvent(seq: number) {
  return $api.useQuery("get", "/api/audit/events/{seq}/", { params: { path: { seq: String(seq) } } });
}

export function useAuditProof(seq: number, enabled: boolean) {
  // 404 until the event's batch is anchored: look again every few seconds until it is.
  return $api.useQuery("get", "/api/audit/events/{seq}/proof/", { params: { path: { seq: String(seq) } } }, {
    enabled,
    retry: false,
    refetchInterval: (q) => ((q.state.error as { status?: number } | null)?.status === 404 ? 3000 : false),
  });
}

export function useLogVerification() {
  return $api.useQuery("get", "/api/audit/verification/", {}, { refetchInterval: 15_000 });
}


export { verifyEvent } from "./verifyEvent";
export type { EventVerification } from "./verifyEvent";
