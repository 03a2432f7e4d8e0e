/**
 * Reading the audit anchor straight from a chain node (JSON-RPC eth_call), not from our API.
 */

// bytes4(keccak256("rootOf(uint64,uint64)")), checked against the contract ABI by the tests.
export const ROOT_OF_SELECTOR = "0xcbbb5959";

function uint64Word(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a uint64: ${value}`);
  return BigInt(value).toString(16).padStart(64, "0");
}

export function rootOfCallData(firstSeq: number, lastSeq: number): string {
  return `${ROOT_OF_SELECTOR}${uint64Word(firstSeq)}${uint64Word(lastSeq)}`;
}

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  if (!response.ok) throw new Error(`chain RPC answered HTTP ${response.status}`);
  const body = (await response.json()) as { result?: T; error?: { message?: string } };
  if (body.error) throw new Error(`chain RPC error: ${body.error.message ?? "unknown"}`);
  return body.result as T;
}

export async function chainIdOf(url: string): Promise<number> {
  return Number(BigInt(await rpc<string>(url, "eth_chainId", [])));
}

/** AuditAnchor.rootOf(firstSeq, lastSeq): the batch root as anchored, or all zeros if none. */
export async function anchoredRoot(url: string, contract: string, firstSeq: number, lastSeq: number): Promise<string> {
  const result = await rpc<string>(url, "eth_call", [{ to: contract, data: rootOfCallData(firstSeq, lastSeq) }, "latest"]);
  const hex = result.startsWith("0x") ? result.slice(2) : result;
  if (hex.length !== 64) throw new Error("unexpected rootOf answer");
  return hex.toLowerCase();
}
