import { describe, expect, it } from "vitest";

import { bytesToHex, hexToBytes, inclusionPath, merkleRoot, verifyInclusion } from "./merkle";

// RFC 6962 / RFC 9162 test vectors (the Certificate Transparency reference implementations').
const LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(hexToBytes);
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const PROOFS: { index: number; size: number; path: string[] }[] = [
  { index: 0, size: 1, path: [] },
  {
    index: 0,
    size: 8,
    path: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { index: 2, size: 3, path: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    index: 1,
    size: 5,
    path: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];

describe("RFC 9162 Merkle tree hash", () => {
  it("matches the reference roots for trees of 1 to 8 leaves", async () => {
    for (let size = 1; size <= 8; size++) {
      expect(bytesToHex(await merkleRoot(LEAVES.slice(0, size)))).toBe(ROOTS[size - 1]);
    }
  });

  it("hashes the empty tree to SHA-256 of nothing", async () => {
    expect(bytesToHex(await merkleRoot([]))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("builds the reference inclusion paths", async () => {
    for (const { index, size, path } of PROOFS) {
      expect((await inclusionPath(index, LEAVES.slice(0, size))).map(bytesToHex)).toEqual(path);
    }
  });
});

describe("RFC 9162 inclusion proof verification", () => {
  it("accepts every reference proof", async () => {
    for (const { index, size, path } of PROOFS) {
      const result = await verifyInclusion({
        leafIndex: index,
        treeSize: size,
        leafData: LEAVES[index]!,
        auditPath: path.map(hexToBytes),
        root: hexToBytes(ROOTS[size - 1]!),
      });
      expect(result).toEqual({ ok: true, computedRoot: ROOTS[size - 1], reason: "ok" });
    }
  });

  it("accepts the proof of every leaf of every tree up to 8 leaves", async () => {
    for (let size = 1; size <= 8; size++) {
      for (let index = 0; index < size; index++) {
        const leaves = LEAVES.slice(0, size);
        const result = await verifyInclusion({
          leafIndex: index,
          treeSize: size,
          leafData: leaves[index]!,
          auditPath: await inclusionPath(index, leaves),
          root: hexToBytes(ROOTS[size - 1]!),
        });
        expect(result.ok, `leaf ${index} of ${size}`).toBe(true);
      }
    }
  });

  const proof = PROOFS[2]!; // leaf 5 of 8
  const base = {
    leafIndex: proof.index,
    treeSize: proof.size,
    leafData: LEAVES[proof.index]!,
    auditPath: proof.path.map(hexToBytes),
    root: hexToBytes(ROOTS[7]!),
  };

  it("refuses a forged path element", async () => {
    const forged = proof.path.map(hexToBytes);
    const element = forged[1]!.slice();
    element[0] = element[0]! ^ 0x01;
    forged[1] = element;
    const result = await verifyInclusion({ ...base, auditPath: forged });
    expect(result.ok).toBe(false);
    expect(result.reason).toBe("root_mismatch");
    expect(result.computedRoot).not.toBe(ROOTS[7]);
  });

  it("refuses another leaf's data under this leaf's proof", async () => {
    expect((await verifyInclusion({ ...base, leafData: LEAVES[4]! })).reason).toBe("root_mismatch");
  });

  it("refuses a wrong leaf index or tree size", async () => {
    expect((await verifyInclusion({ ...base, leafIndex: 4 })).ok).toBe(false);
    expect((await verifyInclusion({ ...base, leafIndex: 8 })).reason).toBe("index_out_of_range");
    expect((await verifyInclusion({ ...base, leafIndex: -1 })).reason).toBe("index_out_of_range");
    expect((await verifyInclusion({ ...base, treeSize: 6 })).ok).toBe(false);
  });

  it("refuses a path that is too long or too short", async () => {
    expect((await verifyInclusion({ ...base, auditPath: [...base.auditPath, base.auditPath[0]!] })).reason).toBe("path_too_long");
    expect((await verifyInclusion({ ...base, auditPath: base.auditPath.slice(0, 2) })).reason).toBe("path_too_short");
  });

  it("refuses a proof against another root", async () => {
    expect((await verifyInclusion({ ...base, root: hexToBytes(ROOTS[6]!) })).reason).toBe("root_mismatch");
  });

  it("refuses to read what is not hex", () => {
    expect(() => hexToBytes("0xzz")).toThrow();
    expect(() => hexToBytes("abc")).toThrow();
    expect(bytesToHex(hexToBytes("0x00ff10"))).toBe("00ff10");
  });
});
