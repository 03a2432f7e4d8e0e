#!/usr/bin/env node
// Measures the gas of whole `AuditAnchor.anchor()` transactions (receipt gasUsed, which includes
// the 21,000 base cost and calldata) on a throw-away local Anvil node.
//
// Usage (after `forge build`):  node script/measure-anchor-gas.mjs [batches] [batchSize]
// Needs no package besides the Anvil binary from @foundry-rs/anvil; talks JSON-RPC over 127.0.0.1.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const batches = Number(process.argv[2] ?? 5);
const batchSize = Number(process.argv[3] ?? 512);
const port = 20000 + Math.floor(Math.random() * 20000);
const url = `http://127.0.0.1:${port}`;

const artifact = JSON.parse(readFileSync(join(root, 'out/AuditAnchor.sol/AuditAnchor.json'), 'utf8'));
const selector = artifact.methodIdentifiers['anchor(uint64,uint64,bytes32)'];
const word = (n) => BigInt(n).toString(16).padStart(64, '0');

const anvil = spawn(join(root, 'node_modules/.bin/anvil'), ['--port', String(port), '--silent'], {
  stdio: 'ignore',
});
let id = 0;
async function rpc(method, params = []) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}
async function send(tx) {
  const hash = await rpc('eth_sendTransaction', [tx]);
  let receipt = null;
  for (let i = 0; receipt === null && i < 100; i++) {
    receipt = await rpc('eth_getTransactionReceipt', [hash]);
    if (receipt === null) await new Promise((r) => setTimeout(r, 50));
  }
  if (receipt === null) throw new Error(`no receipt for ${hash}`);
  if (receipt.status !== '0x1') throw new Error(`transaction ${hash} reverted`);
  return receipt;
}

try {
  for (let i = 0; ; i++) {
    try { await rpc('eth_chainId'); break; } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const [from] = await rpc('eth_accounts');
  const deploy = await send({
    from,
    data: artifact.bytecode.object + word(BigInt(from)),
    gas: '0x1000000',
  });
  const to = deploy.contractAddress;
  const hardfork = (await rpc('anvil_nodeInfo')).hardFork;
  console.log(`anvil hardfork: ${hardfork}; AuditAnchor at ${to}; batches of ${batchSize} events`);
  let next = 1n;
  const used = [];
  for (let b = 0; b < batches; b++) {
    const first = next;
    const last = first + BigInt(batchSize) - 1n;
    let rootHex = randomBytes(32).toString('hex');
    const data = selector.startsWith('0x') ? selector : '0x' + selector;
    const receipt = await send({ from, to, data: data + word(first) + word(last) + rootHex, gas: '0x30000' });
    const gas = Number(BigInt(receipt.gasUsed));
    used.push(gas);
    console.log(`batch ${b}: seq ${first}..${last} gasUsed ${gas} (${(gas / batchSize).toFixed(1)} gas/event)`);
    next = last + 1n;
  }
  console.log(`max anchor() transaction gas: ${Math.max(...used)}`);
} finally {
  anvil.kill('SIGTERM');
}
