// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AuditAnchor} from "../../src/AuditAnchor.sol";
import {Test} from "../utils/Test.sol";
import {AuditAnchorHandler} from "./handlers/AuditAnchorHandler.sol";

contract AuditAnchorInvariantTest is Test {
    AuditAnchor internal anchorContract;
    AuditAnchorHandler internal handler;

    function setUp() public {
        address admin = makeAddr("admin");
        address relayer = makeAddr("relayer");
        anchorContract = new AuditAnchor(admin);
        vm.startPrank(admin);
        anchorContract.grantRole(anchorContract.ANCHORER_ROLE(), relayer);
        vm.stopPrank();

        address[] memory anchorers = new address[](2);
        anchorers[0] = admin; // slow path (AccessControl lookup)
        anchorers[1] = relayer; // cached fast path
        handler = new AuditAnchorHandler(anchorContract, anchorers, makeAddr("stranger"));
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](2);
        selectors[0] = AuditAnchorHandler.anchor.selector;
        selectors[1] = AuditAnchorHandler.anchorInvalid.selector;
        targetSelector(address(handler), selectors);
    }

    /// Batches tile 1..nextSeq-1: the batch sizes add up to nextSeq - 1, and the count matches.
    function invariant_BatchesAreContiguous() public view {
        assertEq(uint256(anchorContract.nextSeq()) - 1, handler.ghostEventsAnchored(), "sum of sizes");
        assertEq(anchorContract.batchCount(), handler.batchCount(), "batch count");

        uint64 expectedFirst = 1;
        uint256 n = handler.batchCount();
        for (uint256 i = 0; i < n; ++i) {
            AuditAnchorHandler.Batch memory b = handler.batch(i);
            assertEq(b.firstSeq, expectedFirst, "gap or overlap");
            assertEq(anchorContract.rootOf(b.firstSeq, b.lastSeq), b.root, "root");
            expectedFirst = b.lastSeq + 1;
        }
        assertEq(expectedFirst, anchorContract.nextSeq());
    }

    /// No invalid anchor (gap, overlap, empty, zero root, unauthorized) was ever accepted.
    function invariant_InvalidAnchorsRejected() public view {
        assertEq(handler.ghostInvalidAnchorsAccepted(), 0);
    }
}
