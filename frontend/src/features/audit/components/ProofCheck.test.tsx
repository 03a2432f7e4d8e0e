import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { AuditEvent } from "@/shared/api";
import batch from "@/test/fixtures/audit-batch.json";
import { fakeApi, ME } from "@/test/fakeApi";
import { renderScreen } from "@/test/render";

import { ProofCheck } from "./ProofCheck";

// The batch (events, root, paths) was made by the backend's own hashing and Merkle code.
const RPC = "http://127.0.0.1:8545/";
const ANCHOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const SEQ = 4;
const source = batch.events[SEQ - 1]!;

function eventOf(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    seq: source.seq,
    type: source.type,
    actor: { user: "u1", username: "nanning", organization: "o1", organization_name: "Nanning Export Co." },
    object: { type: "financing", id: "f2" },
    payload: source.payload,
    payload_hash: source.payload_hash,
    prev_hash: source.prev_hash,
    entry_hash: source.entry_hash,
    created_at: "2026-11-20T08:02:30Z",
    anchoring: { state: "anchored", batch: { first_seq: 1, last_seq: 5, root: batch.root }, chain: null },
    ...overrides,
  } as AuditEvent;
}

function proofOf(path: string[] = batch.paths[String(SEQ) as keyof typeof batch.paths]) {
  return {
    leaf_index: SEQ - batch.first_seq,
    tree_size: batch.last_seq - batch.first_seq + 1,
    entry_hash: source.entry_hash,
    audit_path: path,
    root: batch.root,
    anchor: { contract: ANCHOR, chain_id: 31337, tx_hash: `0x${"ab".repeat(32)}`, block_number: 12, first_seq: 1, last_seq: 5 },
  };
}

function stack({ proof = proofOf(), chainRoot = batch.root, chainId = "0x7a69" } = {}) {
  return fakeApi({
    "GET /api/me/": { body: ME.regulator },
    "GET /api/health/": {
      status: 200,
      body: { ok: true, database: true, broker: true, chain: { ok: true, chain_id: 31337, block_number: 40, contracts: { AuditAnchor: ANCHOR }, rpc_url: RPC } },
    },
    [`GET /api/audit/events/${SEQ}/proof/`]: { body: proof },
    [`POST ${RPC}`]: (request) => {
      const call = request.body as { method: string; params: unknown[] };
      if (call.method === "eth_chainId") return { body: { jsonrpc: "2.0", id: 1, result: chainId } };
      return { body: { jsonrpc: "2.0", id: 1, result: `0x${chainRoot}` } };
    },
  });
}

async function verify(event: AuditEvent) {
  await renderScreen(<ProofCheck event={event} />);
  const button = await screen.findByRole("button", { name: "Verify proof" });
  await waitFor(() => expect(button).toBeEnabled());
  await userEvent.click(button);
  return screen.findByTestId("proof-result");
}

describe("verifying an audit event's proof in the browser", () => {
  it("verifies a genuine proof against the root read from the chain node", async () => {
    const api = stack();
    const result = await verify(eventOf());
    expect(result).toHaveAttribute("data-ok", "true");
    expect(screen.getByText(/Verified: this event is in a batch/)).toBeInTheDocument();
    expect(screen.getByTestId("chain-root")).toHaveTextContent(batch.root);
    // The root came from eth_call AuditAnchor.rootOf(1, 5) on the node, not from our API.
    const rpcCall = api.calls.find((c) => c.path === "/" && (c.body as { method: string }).method === "eth_call");
    expect(rpcCall?.body).toMatchObject({
      params: [{ to: ANCHOR, data: `0xcbbb5959${"1".padStart(64, "0")}${"5".padStart(64, "0")}` }, "latest"],
    });
  });

  it("shows a forged proof as failed", async () => {
    const forged = [...batch.paths[String(SEQ) as keyof typeof batch.paths]];
    forged[0] = forged[0]!.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    stack({ proof: proofOf(forged) });
    const result = await verify(eventOf());
    expect(result).toHaveAttribute("data-ok", "false");
    expect(screen.getByText(/Verification FAILED/)).toBeInTheDocument();
    expect(screen.getByText("The computed root differs from the anchored root.")).toBeInTheDocument();
  });

  it("fails when the payload shown is not the one that was hashed", async () => {
    stack();
    const tampered = eventOf({ payload: { ...(source.payload as object), data: { amount: "90000.00", tenor_days: 120 } } });
    const result = await verify(tampered);
    expect(result).toHaveAttribute("data-ok", "false");
    expect(result.querySelector('[data-step-state="failed"]')).toHaveTextContent("Entry hash recomputed");
  });

  it("fails when the chain holds another root, even if the platform's proof agrees with itself", async () => {
    stack({ chainRoot: "11".repeat(32) });
    const result = await verify(eventOf());
    expect(result).toHaveAttribute("data-ok", "false");
    // The path leads to the platform's own (self-consistent) root, which is not the chain's.
    expect(screen.getByTestId("chain-root")).toHaveTextContent("11".repeat(32));
    expect(screen.getAllByText(batch.root).length).toBeGreaterThan(0);
  });

  it("fails when the node is on another chain", async () => {
    stack({ chainId: "0x1" });
    const result = await verify(eventOf());
    expect(result).toHaveAttribute("data-ok", "false");
    expect(screen.getByText(/the node is on chain 1, the anchor on chain 31337/)).toBeInTheDocument();
  });

  it("says in Chinese when the proof fails", async () => {
    const forged = [...batch.paths[String(SEQ) as keyof typeof batch.paths]].reverse();
    stack({ proof: proofOf(forged) });
    await renderScreen(<ProofCheck event={eventOf()} />, { language: "zh-CN" });
    const button = await screen.findByRole("button", { name: "核验证明" });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    expect(await screen.findByText(/核验失败/)).toBeInTheDocument();
  });
});
