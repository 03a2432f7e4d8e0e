import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeApi, ME } from "@/test/fakeApi";
import { renderScreen } from "@/test/render";

import { StatusPage } from "./StatusPage";

const ANCHOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

function health({ ok = true, chainOk = true, problem, queues }: { ok?: boolean; chainOk?: boolean; problem?: string; queues?: Record<string, unknown> } = {}) {
  return {
    ok,
    database: true,
    broker: true,
    chain: { ok: chainOk, chain_id: 31337, block_number: 88, contracts: { AuditAnchor: ANCHOR }, rpc_url: "http://127.0.0.1:8545", ...(problem ? { problem } : {}) },
    workers: {
      ok: false,
      stale_after_seconds: 90,
      queues: queues ?? {
        celery: { ok: true, last_seen: "2026-11-26T10:00:00Z", age_seconds: 4 },
        chain: { ok: false, last_seen: "2026-11-26T09:50:00Z", age_seconds: 604 },
        audit: { ok: false, last_seen: null, age_seconds: null },
      },
    },
  };
}

const CALM = {
  in_flight: { pending: 0, signed: 0, sent: 0 },
  oldest_unconfirmed: null,
  failed_last_24h: 0,
  latest_failure: null,
  late_after_seconds: 600,
};

describe("the operator's platform status", () => {
  it("shows each queue alive, stale or without a heartbeat", async () => {
    fakeApi({ "GET /api/me/": { body: ME.operator }, "GET /api/health/": { body: health() }, "GET /api/chain/writes/": { body: CALM } });
    await renderScreen(<StatusPage />);
    const row = (queue: string) => within(screen.getByTestId("workers").querySelector(`[data-queue=${queue}]`) as HTMLElement);
    expect(await screen.findByText("Worker queues")).toBeInTheDocument();
    expect(row("celery").getByText("Alive")).toHaveAttribute("data-ok", "true");
    expect(row("chain").getByText("Stale")).toHaveAttribute("data-ok", "false");
    expect(row("chain").getByText(/604 s ago/)).toBeInTheDocument();
    expect(row("audit").getByText("No heartbeat")).toHaveAttribute("data-ok", "false");
    expect(screen.getByText(/a queue without one for 90 s/)).toBeInTheDocument();
    expect(screen.getByText(ANCHOR)).toBeInTheDocument();
    expect(screen.getByText("chain 31337, block 88")).toBeInTheDocument();
  });

  it("reads the details of a 503, in Chinese", async () => {
    fakeApi({
      "GET /api/me/": { body: ME.operator },
      "GET /api/health/": { status: 503, body: health({ ok: false, chainOk: false, problem: "chain_reset_detected" }) },
      "GET /api/chain/writes/": { body: CALM },
    });
    await renderScreen(<StatusPage />, { language: "zh-CN" });
    const chain = within(await screen.findByTestId("services")).getByText("区块链节点").closest("tr") as HTMLElement;
    expect(within(chain).getByText("故障")).toHaveAttribute("data-ok", "false");
    expect(within(chain).getByText(/链已重置：正在重新部署/)).toBeInTheDocument();
    expect(screen.getByText("无心跳")).toBeInTheDocument();
  });

  it("shows chain writes in flight, the oldest one late, and the latest failure", async () => {
    fakeApi({
      "GET /api/me/": { body: ME.operator },
      "GET /api/health/": { body: health() },
      "GET /api/chain/writes/": {
        body: {
          in_flight: { pending: 3, signed: 1, sent: 2 },
          oldest_unconfirmed: { id: "7d0c2a4e-0000-4000-8000-000000000001", contract: "FinancingRegistry", function: "recordFinancing",
            status: "sent", created_at: "2026-11-26T09:40:00Z", age_seconds: 1200, late: true },
          failed_last_24h: 2,
          latest_failure: { id: "7d0c2a4e-0000-4000-8000-000000000002", contract: "AuthorizationRegistry", function: "recordAccess",
            error_code: "AccessTimeInFuture", error_message: "", updated_at: "2026-11-26T09:55:00Z" },
          late_after_seconds: 600,
        },
      },
    });
    await renderScreen(<StatusPage />);
    const writes = within(await screen.findByTestId("chain-writes"));
    const row = (name: string) => within(screen.getByTestId("chain-writes").querySelector(`[data-row=${name}]`) as HTMLElement);
    expect(writes.getByText(/longer than 600 s is late/)).toBeInTheDocument();
    expect(row("in-flight").getByText("3 pending · 1 signed · 2 sent")).toBeInTheDocument();
    expect(row("oldest").getByText("Late")).toHaveAttribute("data-ok", "false");
    expect(row("oldest").getByText("FinancingRegistry.recordFinancing")).toBeInTheDocument();
    expect(row("oldest").getByText(/sent · 1200 s ago/)).toBeInTheDocument();
    expect(row("failures").getByText("2")).toHaveAttribute("data-ok", "false");
    expect(row("failures").getByText(/latest: AuthorizationRegistry.recordAccess \(AccessTimeInFuture\)/)).toBeInTheDocument();
  });

  it("says when nothing waits, in Chinese", async () => {
    fakeApi({ "GET /api/me/": { body: ME.operator }, "GET /api/health/": { body: health() }, "GET /api/chain/writes/": { body: CALM } });
    await renderScreen(<StatusPage />, { language: "zh-CN" });
    const writes = within(await screen.findByTestId("chain-writes"));
    expect(await writes.findByText("无：所有写入均已确认或已失败")).toBeInTheDocument();
    expect(writes.getByText("待签名 0 · 已签名 0 · 已发送 0")).toBeInTheDocument();
    expect(writes.getByText("0")).toHaveAttribute("data-ok", "true");
  });
});
