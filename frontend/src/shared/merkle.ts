/**
 * RFC 9162 (Certificate Transparency v2) Merkle trees with SHA-256, computed with WebCrypto.
 *
 *   leaf hash  = SHA-256(0x00 || leaf data)
 *   node hash  = SHA-256(0x01 || left || right)
 *
 * For the platform's audit log the leaf data is an event's 32-byte `entry_hash`, and a batch's
 * root is anchored on chain, so a browser can check an event against the chain by itself.
 */

export type Bytes = Uint8Array<ArrayBuffer>;

export function hexToBytes(hex: string): Bytes {
  const clean = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new Error(`not hex: ${hex}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error("WebCrypto is unavailable (it needs a secure context: https or localhost)");
  return s;
}

export async function sha256(...parts: Uint8Array[]): Promise<Bytes> {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return new Uint8Array(await subtle().digest("SHA-256", joined));
}

const LEAF = Uint8Array.of(0x00);
const NODE = Uint8Array.of(0x01);

export function leafHash(data: Uint8Array): Promise<Bytes> {
  return sha256(LEAF, data);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Bytes> {
  return sha256(NODE, left, right);
}

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) of RFC 9162 section 2.1.1. */
export async function merkleRoot(leaves: Uint8Array[]): Promise<Bytes> {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leafHash(leaves[0]!);
  const k = split(leaves.length);
  return nodeHash(await merkleRoot(leaves.slice(0, k)), await merkleRoot(leaves.slice(k)));
}

/** PATH(m, D[n]) of RFC 9162 section 2.1.3.1 (to build proofs in tests and tools). */
export async function inclusionPath(index: number, leaves: Uint8Array[]): Promise<Bytes[]> {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  if (index < k) return [...(await inclusionPath(index, leaves.slice(0, k))), await merkleRoot(leaves.slice(k))];
  return [...(await inclusionPath(index - k, leaves.slice(k))), await merkleRoot(leaves.slice(0, k))];
}

export interface InclusionResult {
  ok: boolean;
  /** The root the path leads to (null when the proof's shape is already wrong). */
  computedRoot: string | null;
  reason: "ok" | "index_out_of_range" | "path_too_long" | "path_too_short" | "root_mismatch";
}

/**
 * Verifies an inclusion proof, RFC 9162 section 2.1.3.2: from the leaf data, its index, the tree
 * size and the audit path, compute a root and compare it with the expected one.
 */
export async function verifyInclusion(args: {
  leafIndex: number;
  treeSize: number;
  leafData: Uint8Array;
  auditPath: Uint8Array[];
  root: Uint8Array;
}): Promise<InclusionResult> {
  const { leafIndex, treeSize, leafData, auditPath, root } = args;
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) {
    return { ok: false, computedRoot: null, reason: "index_out_of_range" };
  }
  // BigInt keeps the shifts exact for any tree size.
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize - 1);
  let r = await leafHash(leafData);
  for (const p of auditPath) {
    if (sn === 0n) return { ok: false, computedRoot: null, reason: "path_too_long" };
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return { ok: false, computedRoot: bytesToHex(r), reason: "path_too_short" };
  const same = r.length === root.length && r.every((b, i) => b === root[i]);
  return { ok: same, computedRoot: bytesToHex(r), reason: same ? "ok" : "root_mismatch" };
}
