import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import en from "./locales/en.json";
import zhCN from "./locales/zh-CN.json";

function keys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    value && typeof value === "object" ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "test" ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

// Vitest runs from frontend/.
const SRC = join(process.cwd(), "src");
const PLURAL = /_(zero|one|two|few|many|other)$/;

describe("translations", () => {
  it("have the same keys in English and Simplified Chinese", () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it("leave no Chinese text empty where English has some", () => {
    const flat = (tree: object) => Object.fromEntries(keys(tree).map((k) => [k, k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], tree)]));
    const english = flat(en);
    const chinese = flat(zhCN);
    const empty = Object.keys(english).filter((k) => english[k] !== "" && chinese[k] === "");
    expect(empty).toEqual([]);
  });

  it("define every key the screens ask for by name", () => {
    const known = new Set(keys(en).map((k) => k.replace(PLURAL, "")));
    const missing: string[] = [];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, "utf8");
      // t("a.b"), t(cond ? "a.b" : "c.d"), and nav entries { label: "nav.x" }.
      const calls = [...text.matchAll(/\bt\(([^()]*?)[,)]/g)].map((m) => m[1]!);
      const labels = [...text.matchAll(/label: "([a-zA-Z]+\.[a-zA-Z.]+)"/g)].map((m) => `"${m[1]}"`);
      for (const chunk of [...calls, ...labels]) {
        for (const [, key] of chunk.matchAll(/"([a-zA-Z]+\.[a-zA-Z0-9_.]+)"/g)) {
          if (!known.has(key!)) missing.push(`${file.slice(SRC.length + 1)}: ${key}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
