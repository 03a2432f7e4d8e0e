"""`tradefin-verify`: check the platform's audit log, or one inclusion proof, against the chain.

Exit status: 0 verified; 1 the log or proof is bad (the first bad seq is named); 2 the check could
not run (node unreachable, no contract at the address, unreadable input); 3 (with
--require-anchored) nothing is bad but some events are not anchored yet.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Iterator, TextIO

from . import __version__
from .checker import AnchorsUnreadable, Report, check_log
from .merkle import InvalidProof, leaf_hash, root_from_inclusion_path
from .rpc import Node, RpcError, read_anchors, root_of, verify_inclusion_on_chain

EXIT_OK, EXIT_BAD, EXIT_CANNOT_CHECK, EXIT_INCOMPLETE = 0, 1, 2, 3


class CannotCheck(Exception):
    pass


def _records(stream: TextIO, *, contract: str, chain_id: int, block: int, tally: dict[str, int]) -> Iterator[dict[str, Any]]:
    """Export lines → checker records. A batch counts as anchored here only if the export says it was
    confirmed on this very contract and chain, at or before the block the anchors were read at."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            yield {"invalid_line": number}
            continue
        if not isinstance(record, dict):
            yield {"invalid_line": number}
            continue
        batch = record.get("batch")
        claim = None
        if isinstance(batch, dict):
            anchor = batch.get("anchor") if isinstance(batch.get("anchor"), dict) else {}
            here = (str(anchor.get("contract") or "").lower() == contract.lower() and anchor.get("chain_id") == chain_id)
            confirmed = anchor.get("status") == "confirmed"
            if confirmed and not here:
                tally["anchored_elsewhere"] += 1
            block_number = anchor.get("block_number")
            claim = {
                "first_seq": batch.get("first_seq"),
                "last_seq": batch.get("last_seq"),
                "root": batch.get("root"),
                "confirmed": confirmed and here and isinstance(block_number, int) and block_number <= block,
            }
        yield {
            "seq": record.get("seq"),
            "payload": record.get("payload"),
            "payload_hash": record.get("payload_hash"),
            "prev_hash": record.get("prev_hash"),
            "entry_hash": record.get("entry_hash"),
            "batch": claim,
        }


def _connect(rpc_url: str, contract: str) -> tuple[Node, int, int, str]:
    node = Node(rpc_url)
    try:
        chain_id, block, genesis = node.chain_id(), node.block_number(), node.genesis_hash()
        if not node.has_code(contract, block):
            raise CannotCheck(
                f"There is no contract code at {contract} on chain {chain_id} (genesis {genesis}): the chain was "
                "reset, or this is not the AuditAnchor address. After a reset the platform re-anchors every batch on "
                "a new AuditAnchor: ask for its address. This is not evidence of tampering."
            )
    except RpcError as exc:
        raise CannotCheck(f"The chain node does not answer: {exc}") from exc
    return node, chain_id, block, genesis


def verify_log(args: argparse.Namespace) -> tuple[int, dict[str, Any]]:
    node, chain_id, block, genesis = _connect(args.rpc_url, args.contract)
    try:
        anchors = read_anchors(node, args.contract, from_block=args.from_block, to_block=block, chunk=args.chunk_blocks)
    except (RpcError, AnchorsUnreadable) as exc:
        raise CannotCheck(str(exc)) from exc
    tally = {"anchored_elsewhere": 0}
    try:
        with open(args.log, encoding="utf-8") as stream:
            report: Report = check_log(_records(stream, contract=args.contract, chain_id=chain_id, block=block, tally=tally), anchors)
    except (OSError, UnicodeDecodeError) as exc:
        raise CannotCheck(f"Cannot read {args.log}: {exc}") from exc
    result = {
        **report.as_dict(),
        "chain": {"chain_id": chain_id, "genesis_hash": genesis, "block_number": block, "contract": args.contract},
        "export_records_anchored_elsewhere": tally["anchored_elsewhere"],
    }
    if not report.ok:
        return EXIT_BAD, result
    if args.require_anchored and report.unanchored_from_seq is not None:
        return EXIT_INCOMPLETE, result
    return EXIT_OK, result


def _hex32(value: Any, what: str) -> bytes:
    try:
        raw = bytes.fromhex(str(value).removeprefix("0x"))
    except ValueError as exc:
        raise CannotCheck(f"{what} is not hex.") from exc
    if len(raw) != 32:
        raise CannotCheck(f"{what} is not 32 bytes.")
    return raw


def verify_proof(args: argparse.Namespace) -> tuple[int, dict[str, Any]]:
    try:
        with open(args.proof, encoding="utf-8") as stream:
            proof = json.load(stream)
        anchor = proof["anchor"]
        first_seq, last_seq = int(anchor["first_seq"]), int(anchor["last_seq"])
        leaf_index, tree_size = int(proof["leaf_index"]), int(proof["tree_size"])
        path = [_hex32(p, "an audit_path element") for p in proof["audit_path"]]
        entry = _hex32(args.entry_hash or proof["entry_hash"], "entry_hash")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CannotCheck(f"Cannot read the proof {args.proof}: {exc}") from exc
    contract = args.contract or anchor.get("contract")
    if not contract:
        raise CannotCheck("No contract address: pass --contract.")
    node, chain_id, block, _ = _connect(args.rpc_url, contract)
    try:
        anchored_root = root_of(node, contract, first_seq, last_seq, block)
        on_chain = verify_inclusion_on_chain(node, contract, first_seq=first_seq, last_seq=last_seq, leaf_index=leaf_index,
                                             entry_hash=entry, audit_path=path, block=block)
    except RpcError as exc:
        raise CannotCheck(str(exc)) from exc
    problems = []
    if int(anchored_root, 16) == 0:
        problems.append(f"No batch {first_seq}..{last_seq} is anchored on this contract.")
    if tree_size != last_seq - first_seq + 1:
        problems.append(f"tree_size {tree_size} is not the anchored batch's size {last_seq - first_seq + 1}.")
    try:
        # The size comes from the anchored batch, never from the proof.
        computed = root_from_inclusion_path(leaf_index, last_seq - first_seq + 1, leaf_hash(entry), path).hex()
    except InvalidProof as exc:
        computed = None
        problems.append(f"The path does not fit the batch: {exc}.")
    if computed is not None and computed != anchored_root:
        problems.append("The path does not lead to the anchored root.")
    if str(proof.get("root", "")).removeprefix("0x") != anchored_root:
        problems.append("The proof's root is not the anchored root.")
    if not on_chain:
        problems.append("The contract's verifyInclusion rejects the proof.")
    result = {
        "ok": not problems, "problems": problems, "seq": first_seq + leaf_index, "off_chain_root": computed,
        "anchored_root": anchored_root, "contract_accepts": on_chain,
        "chain": {"chain_id": chain_id, "block_number": block, "contract": contract},
    }
    return (EXIT_OK if not problems else EXIT_BAD), result


def _print_log_result(code: int, result: dict[str, Any], out: TextIO) -> None:
    chain = result["chain"]
    where = f"chain {chain['chain_id']} at {chain['contract']} (block {chain['block_number']})"
    if result["ok"]:
        out.write(f"OK: {result['events_checked']} events checked; seqs 1..{result['verified_through_seq']} match "
                  f"{result['batches_verified']} batch roots anchored on {where}.\n")
        if result["unanchored_from_seq"] is not None:
            out.write(f"Not anchored yet: seqs {result['unanchored_from_seq']}..{result['last_seq']} "
                      "(hash chain checked, no root on chain yet).\n")
    else:
        out.write(f"BAD: first bad seq {result['first_bad_seq']} ({result['reason']}): {result['message']}\n")
        out.write(f"Verified before it: seqs 1..{result['verified_through_seq']} against {where}.\n")
    if result["export_records_anchored_elsewhere"]:
        out.write(f"Note: {result['export_records_anchored_elsewhere']} records say they were anchored on another "
                  "contract or chain (a reset?); they count as not anchored here.\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tradefin-verify", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    log = commands.add_parser("log", help="Check an exported audit log (JSON Lines) against the anchor contract.")
    log.add_argument("log", help="The export: GET /api/audit/export/ or `manage.py export_audit_log`.")
    log.add_argument("--rpc-url", required=True, help="The chain's JSON-RPC URL.")
    log.add_argument("--contract", required=True, help="The AuditAnchor contract's address.")
    log.add_argument("--from-block", type=int, default=0, help="Read anchors from this block (the contract's deployment).")
    log.add_argument("--chunk-blocks", type=int, default=10_000, help="Blocks per eth_getLogs request.")
    log.add_argument("--require-anchored", action="store_true", help="Exit 3 if some events are not anchored yet.")
    log.add_argument("--json", action="store_true", help="Print the full result as JSON.")

    proof = commands.add_parser("proof", help="Check one inclusion proof (GET /api/audit/events/{seq}/proof/).")
    proof.add_argument("proof", help="The proof as JSON.")
    proof.add_argument("--rpc-url", required=True)
    proof.add_argument("--contract", help="The AuditAnchor address (default: the proof's anchor.contract).")
    proof.add_argument("--entry-hash", help="The entry hash you computed yourself (default: the proof's).")
    proof.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code, result = verify_log(args) if args.command == "log" else verify_proof(args)
    except CannotCheck as exc:
        if getattr(args, "json", False):
            json.dump({"ok": False, "error": str(exc)}, sys.stdout)
            sys.stdout.write("\n")
        else:
            sys.stderr.write(f"CANNOT CHECK: {exc}\n")
        return EXIT_CANNOT_CHECK
    if args.json:
        json.dump(result, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    elif args.command == "log":
        _print_log_result(code, result, sys.stdout)
    else:
        sys.stdout.write(("OK: the proof holds, off chain and on chain.\n" if result["ok"] else
                          "BAD: " + " ".join(result["problems"]) + "\n"))
    return code


if __name__ == "__main__":
    raise SystemExit(main())
