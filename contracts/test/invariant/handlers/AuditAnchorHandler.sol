// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AuditAnchor} from "../../../src/AuditAnchor.sol";
import {Test} from "../../utils/Test.sol";

/**
 * @notice Drives {AuditAnchor} with valid batches from the two anchorers and with invalid ones (gaps,
 * overlaps, empty batches, zero roots, unauthorized callers), keeping the list of anchored batches.
 */
contract AuditAnchorHandler is Test {
    struct Batch {
        uint64 firstSeq;
        uint64 lastSeq;
        bytes32 root;
    }

    AuditAnchor public immutable anchorContract;
    address[] internal _anchorers;
    address internal immutable _stranger;

    Batch[] internal _batches;
    uint256 public ghostEventsAnchored;
    /// Invalid anchors that succeeded (must stay 0).
    uint256 public ghostInvalidAnchorsAccepted;

    constructor(AuditAnchor anchorContract_, address[] memory anchorers, address stranger) {
        anchorContract = anchorContract_;
        _anchorers = anchorers;
        _stranger = stranger;
    }

    function anchor(uint256 anchorerSeed, uint256 size, bytes32 rootSeed) external {
        size = bound(size, 1, 2_048);
        uint64 firstSeq = anchorContract.nextSeq();
        uint64 lastSeq = firstSeq + uint64(size) - 1;
        bytes32 root = keccak256(abi.encode(rootSeed, _batches.length));
        vm.prank(_anchorers[anchorerSeed % _anchorers.length]);
        anchorContract.anchor(firstSeq, lastSeq, root); // must succeed: reverts fail the run
        _batches.push(Batch(firstSeq, lastSeq, root));
        ghostEventsAnchored += size;
    }

    function anchorInvalid(uint256 kind, uint256 offset, uint256 size) external {
        uint64 next = anchorContract.nextSeq();
        offset = bound(offset, 1, 1_000);
        size = bound(size, 1, 1_000);
        uint64 firstSeq = next;
        uint64 lastSeq = next + uint64(size) - 1;
        bytes32 root = keccak256(abi.encode(kind, offset, size));
        address caller = _anchorers[0];
        kind = kind % 5;
        if (kind == 0) {
            firstSeq = next + uint64(offset); // gap
            lastSeq = firstSeq + uint64(size) - 1;
        } else if (kind == 1) {
            firstSeq = next > offset ? next - uint64(offset) : 0; // overlap (or seq 0)
        } else if (kind == 2) {
            lastSeq = firstSeq - 1; // empty batch
        } else if (kind == 3) {
            root = bytes32(0);
        } else {
            caller = _stranger;
        }
        vm.prank(caller);
        try anchorContract.anchor(firstSeq, lastSeq, root) {
            ++ghostInvalidAnchorsAccepted;
        } catch {}
    }

    function batchCount() external view returns (uint256) {
        return _batches.length;
    }

    function batch(uint256 i) external view returns (Batch memory) {
        return _batches[i];
    }
}
