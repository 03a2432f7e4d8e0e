/**
 * Checking one audit event in the browser, trusting neither our database nor our API's root:
 *
 *   1. entry_hash = SHA-256(prev_hash || SHA-256(JCS(payload)))       (the event is what it says)
 *   2. the RFC 9162 path from entry_hash leads to a root               (it is in its batch)
 *   3. that root is the one AuditAnchor.rootOf(first, last) returns    (the batch is on chain)
 *      read from the chain node itself, whose chain id must be the platform's.
 */
import type { AuditEvent, AuditProof } from "@/shared/api";
import { bytesToHex, hexToBytes, sha256, verifyInclusion, type InclusionResult } from "@/shared/merkle";

import { canonicalJson } from "./canonical";
import { anchoredRoot, chainIdOf } from "./chainRpc";

export interface ChainTarget {
  rpcUrl: string;
  /** The AuditAnchor address and chain id the platform publishes (health endpoint). */
  contract: string | null;
  chainId: number | null;
}

export type StepState = "ok" | "failed" | "skipped";

export interface EventVerification {
  ok: boolean;
  entryHash: { state: StepState; computed: string | null };
  inclusion: InclusionResult & { state: StepState };
  chain: {
    state: StepState;
    root: string | null;
    chainId: number | null;
    contract: string;
    error: string | null;
  };
  apiRoot: string;
  batchShapeOk: boolean;
}

const strip = (hex: string) => (hex.startsWith("0x") ? hex.slice(2) : hex).toLowerCase();

export async function verifyEvent(event: AuditEvent, proof: AuditProof, target: ChainTarget): Promise<EventVerification> {
  // 1. The event's own hash chain link.
  let computedEntry: string | null = null;
  let entryState: StepState = "failed";
  try {
    const payloadHash = await sha256(new TextEncoder().encode(canonicalJson(event.payload)));
    computedEntry = bytesToHex(await sha256(hexToBytes(event.prev_hash), payloadHash));
    entryState = computedEntry === strip(event.entry_hash) && strip(proof.entry_hash) === strip(event.entry_hash) ? "ok" : "failed";
  } catch {
    entryState = "failed";
  }

  // 2. The inclusion path, from the event's entry hash (not the proof's copy of it).
  const anchor = proof.anchor;
  const batchShapeOk =
    proof.tree_size === anchor.last_seq - anchor.first_seq + 1 && proof.leaf_index === event.seq - anchor.first_seq;

  // 3. The anchored root, from the chain node.
  const contract = anchor.contract;
  let chainRoot: string | null = null;
  let chainId: number | null = null;
  let chainError: string | null = null;
  try {
    if (target.contract && target.contract.toLowerCase() !== contract.toLowerCase()) {
      throw new Error("the proof names another anchor contract than the platform publishes");
    }
    chainId = await chainIdOf(target.rpcUrl);
    const expectedChain = target.chainId ?? anchor.chain_id;
    if (chainId !== expectedChain || chainId !== anchor.chain_id) {
      throw new Error(`the node is on chain ${chainId}, the anchor on chain ${anchor.chain_id}`);
    }
    chainRoot = await anchoredRoot(target.rpcUrl, contract, anchor.first_seq, anchor.last_seq);
    if (/^0+$/.test(chainRoot)) throw new Error("no root is anchored for this batch");
  } catch (error) {
    chainError = error instanceof Error ? error.message : String(error);
  }

  let inclusion: InclusionResult;
  try {
    inclusion = await verifyInclusion({
      leafIndex: proof.leaf_index,
      treeSize: proof.tree_size,
      leafData: hexToBytes(event.entry_hash),
      auditPath: proof.audit_path.map(hexToBytes),
      root: hexToBytes(chainRoot ?? strip(proof.root)),
    });
  } catch {
    inclusion = { ok: false, computedRoot: null, reason: "root_mismatch" };
  }

  const chainState: StepState = chainRoot === null ? "failed" : inclusion.computedRoot === chainRoot ? "ok" : "failed";
  const ok = entryState === "ok" && batchShapeOk && chainState === "ok" && inclusion.ok;
  return {
    ok,
    entryHash: { state: entryState, computed: computedEntry },
    inclusion: { ...inclusion, state: inclusion.ok && batchShapeOk ? "ok" : "failed" },
    chain: { state: chainState, root: chainRoot, chainId, contract, error: chainError },
    apiRoot: strip(proof.root),
    batchShapeOk,
  };
}
