// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {AuditAnchor} from "../src/AuditAnchor.sol";
import {IAuditAnchor} from "../src/interfaces/IAuditAnchor.sol";
import {Rfc9162} from "./utils/Rfc9162.sol";
import {Test} from "./utils/Test.sol";
import {Vm} from "./utils/Vm.sol";

contract AuditAnchorTest is Test {
    AuditAnchor internal anchorer;

    address internal admin = makeAddr("admin");
    address internal relayer = makeAddr("relayer");
    address internal stranger = makeAddr("stranger");

    bytes32 internal constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");
    bytes32 internal constant ROOT = keccak256("root");

    function setUp() public {
        anchorer = new AuditAnchor(admin);
    }

    // ------------------------------------------------------------------ helpers

    function _anchor(uint64 size, bytes32 root) internal returns (uint64 firstSeq, uint64 lastSeq) {
        firstSeq = anchorer.nextSeq();
        lastSeq = firstSeq + size - 1;
        vm.prank(admin);
        anchorer.anchor(firstSeq, lastSeq, root);
    }

    /// @dev Anchors the RFC 9162 tree of `entries` as the next batch.
    function _anchorTree(bytes32[] memory entries) internal returns (uint64 firstSeq, uint64 lastSeq) {
        return _anchor(uint64(entries.length), Rfc9162.root(entries));
    }

    // ------------------------------------------------------------------ constructor

    function test_Constructor() public view {
        assertEq(anchorer.ANCHORER_ROLE(), ANCHORER_ROLE);
        assertTrue(anchorer.hasRole(anchorer.DEFAULT_ADMIN_ROLE(), admin));
        assertTrue(anchorer.hasRole(ANCHORER_ROLE, admin));
        assertEq(anchorer.nextSeq(), 1);
        assertEq(anchorer.batchCount(), 0);
        assertEq(anchorer.cachedAnchorer(), admin);
    }

    function test_RevertWhen_ConstructorAdminIsZero() public {
        vm.expectRevert(IAuditAnchor.ZeroAddress.selector);
        new AuditAnchor(address(0));
    }

    // ------------------------------------------------------------------ anchor

    function test_Anchor() public {
        vm.expectEmit(address(anchorer));
        emit IAuditAnchor.BatchAnchored(_key(1, 512), ROOT);
        vm.prank(admin);
        anchorer.anchor(1, 512, ROOT);

        assertEq(anchorer.nextSeq(), 513);
        assertEq(anchorer.batchCount(), 1);
        assertEq(anchorer.rootOf(1, 512), ROOT);
    }

    function test_Anchor_ConsecutiveBatches() public {
        bytes32 root2 = keccak256("root2");
        bytes32 root3 = keccak256("root3");
        vm.startPrank(admin);
        anchorer.anchor(1, 10, ROOT);
        vm.expectEmit(address(anchorer));
        emit IAuditAnchor.BatchAnchored(_key(11, 11), root2);
        anchorer.anchor(11, 11, root2); // a single-event batch
        vm.expectEmit(address(anchorer));
        emit IAuditAnchor.BatchAnchored(_key(12, 1_000), root3);
        anchorer.anchor(12, 1_000, root3);
        vm.stopPrank();

        assertEq(anchorer.nextSeq(), 1_001);
        assertEq(anchorer.batchCount(), 3);
        assertEq(anchorer.rootOf(1, 10), ROOT);
        assertEq(anchorer.rootOf(11, 11), root2);
        assertEq(anchorer.rootOf(12, 1_000), root3);
        assertEq(anchorer.rootOf(1, 11), bytes32(0));
        assertEq(anchorer.rootOf(12, 999), bytes32(0));
        assertEq(anchorer.rootOf(2, 10), bytes32(0));
        assertEq(anchorer.rootOf(1_001, 1_001), bytes32(0));
    }

    function test_RevertWhen_CallerIsNotAnchorer() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, ANCHORER_ROLE)
        );
        vm.prank(stranger);
        anchorer.anchor(1, 1, ROOT);
    }

    function test_RevertWhen_BatchIsNotContiguous() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(IAuditAnchor.NonContiguousBatch.selector, 1, 0));
        anchorer.anchor(0, 10, ROOT);
        vm.expectRevert(abi.encodeWithSelector(IAuditAnchor.NonContiguousBatch.selector, 1, 2));
        anchorer.anchor(2, 10, ROOT);

        anchorer.anchor(1, 10, ROOT);
        // gap
        vm.expectRevert(abi.encodeWithSelector(IAuditAnchor.NonContiguousBatch.selector, 11, 12));
        anchorer.anchor(12, 20, ROOT);
        // overlap
        vm.expectRevert(abi.encodeWithSelector(IAuditAnchor.NonContiguousBatch.selector, 11, 10));
        anchorer.anchor(10, 20, ROOT);
        // replay of the same batch
        vm.expectRevert(abi.encodeWithSelector(IAuditAnchor.NonContiguousBatch.selector, 11, 1));
        anchorer.anchor(1, 10, ROOT);
        vm.stopPrank();
    }

    function test_RevertWhen_BatchIsEmpty() public {
        vm.startPrank(admin);
        anchorer.anchor(1, 5, ROOT);
        vm.expectRevert(IAuditAnchor.EmptyBatch.selector);
        anchorer.anchor(6, 5, ROOT);
        vm.expectRevert(IAuditAnchor.EmptyBatch.selector);
        anchorer.anchor(6, 0, ROOT);
        vm.stopPrank();
    }

    function test_RevertWhen_RootIsZero() public {
        vm.expectRevert(IAuditAnchor.ZeroRoot.selector);
        vm.prank(admin);
        anchorer.anchor(1, 1, bytes32(0));
    }

    function test_RevertWhen_SequenceSpaceExhausted() public {
        vm.startPrank(admin);
        anchorer.anchor(1, type(uint64).max - 1, ROOT);
        assertEq(anchorer.nextSeq(), type(uint64).max);
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        anchorer.anchor(type(uint64).max, type(uint64).max, ROOT);
        vm.stopPrank();
    }

    function test_RevertWhen_BatchCountExhausted() public {
        // Storage: slot 0 AccessControl._roles, slot 1 AuditAnchor._head.
        bytes32 headSlot = bytes32(uint256(1));
        uint256 head = uint256(vm.load(address(anchorer), headSlot));
        assertEq(head, (uint256(uint160(admin)) << 96) | 1, "head layout");
        vm.store(address(anchorer), headSlot, bytes32(head | (uint256(type(uint32).max) << 64)));
        assertEq(anchorer.batchCount(), type(uint32).max);
        vm.expectRevert(IAuditAnchor.BatchCountExhausted.selector);
        vm.prank(admin);
        anchorer.anchor(1, 1, ROOT);
    }

    // ------------------------------------------------------------------ ANCHORER_ROLE fast path

    function test_AnyAnchorerMayAnchor() public {
        vm.prank(admin);
        anchorer.grantRole(ANCHORER_ROLE, relayer);
        assertEq(anchorer.cachedAnchorer(), relayer, "latest grantee is cached");

        vm.prank(relayer);
        anchorer.anchor(1, 1, ROOT);
        vm.prank(admin); // no longer cached: goes through AccessControl
        anchorer.anchor(2, 2, ROOT);
        assertEq(anchorer.batchCount(), 2);
    }

    function test_RevertWhen_CachedAnchorerIsRevoked() public {
        vm.startPrank(admin);
        anchorer.grantRole(ANCHORER_ROLE, relayer);
        anchorer.revokeRole(ANCHORER_ROLE, relayer);
        vm.stopPrank();
        assertEq(anchorer.cachedAnchorer(), address(0));

        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, relayer, ANCHORER_ROLE)
        );
        vm.prank(relayer);
        anchorer.anchor(1, 1, ROOT);

        vm.prank(admin);
        anchorer.anchor(1, 1, ROOT);
    }

    function test_RevertWhen_CachedAnchorerRenounced() public {
        vm.prank(admin);
        anchorer.renounceRole(ANCHORER_ROLE, admin);
        assertEq(anchorer.cachedAnchorer(), address(0));
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, admin, ANCHORER_ROLE)
        );
        vm.prank(admin);
        anchorer.anchor(1, 1, ROOT);
    }

    function test_RevokingANonCachedAnchorerKeepsTheCache() public {
        vm.startPrank(admin);
        anchorer.grantRole(ANCHORER_ROLE, relayer);
        anchorer.revokeRole(ANCHORER_ROLE, admin);
        vm.stopPrank();
        assertEq(anchorer.cachedAnchorer(), relayer);
        vm.prank(relayer);
        anchorer.anchor(1, 1, ROOT);
    }

    function test_GrantingOtherRolesKeepsTheCache() public {
        vm.prank(admin);
        anchorer.grantRole(keccak256("OTHER"), relayer);
        assertEq(anchorer.cachedAnchorer(), admin);
        assertEq(anchorer.nextSeq(), 1);
        assertEq(anchorer.batchCount(), 0);
    }

    // ------------------------------------------------------------------ gas

    /// @dev Gas of the whole `anchor` transaction: 21,000 + calldata (EIP-2028, with the EIP-7623
    /// floor) + execution as measured with all of the contract's storage cold.
    function _anchorTxGas(uint64 firstSeq, uint64 lastSeq, bytes32 root) internal returns (uint256) {
        bytes memory data = abi.encodeCall(AuditAnchor.anchor, (firstSeq, lastSeq, root));
        uint256 zeros;
        for (uint256 i = 0; i < data.length; ++i) {
            if (data[i] == 0) ++zeros;
        }
        uint256 tokens = zeros + 4 * (data.length - zeros);
        vm.cool(address(anchorer));
        vm.prank(admin);
        anchorer.anchor(firstSeq, lastSeq, root);
        uint256 execution = vm.lastCallGas().gasTotalUsed;
        uint256 standard = 21_000 + 4 * tokens + execution;
        uint256 floor = 21_000 + 10 * tokens;
        return standard > floor ? standard : floor;
    }

    event log_named_uint(string key, uint256 val);

    function test_Anchor_TransactionGas() public {
        uint256 worst;
        for (uint64 b = 0; b < 4; ++b) {
            uint64 firstSeq = anchorer.nextSeq();
            uint256 gasUsed = _anchorTxGas(firstSeq, firstSeq + 511, keccak256(abi.encode("root", b)));
            if (gasUsed > worst) worst = gasUsed;
        }
        // Sequence numbers in the millions carry more non-zero calldata bytes (3 each below 2^24; from
        // 2^24 = 16.7M events on, 4 bytes each cost 24 gas more: 100.04 per event at exactly 512).
        uint64 next = anchorer.nextSeq();
        vm.prank(admin);
        anchorer.anchor(next, 9_999_999, keccak256("filler"));
        for (uint64 b = 0; b < 2; ++b) {
            uint64 firstSeq = anchorer.nextSeq();
            uint256 gasUsed = _anchorTxGas(firstSeq, firstSeq + 511, keccak256(abi.encode("late root", b)));
            if (gasUsed > worst) worst = gasUsed;
        }
        emit log_named_uint("anchor() tx gas, 512-event batch (worst of 6)", worst);
        // The target: at most 100 gas per audit event in batches of 512 events or more.
        assertLe(worst, ANCHOR_TX_GAS_BUDGET, "anchor() transaction gas");
    }

    uint256 internal constant ANCHOR_TX_GAS_BUDGET = 512 * 100;

    // ------------------------------------------------------------------ verifyInclusion

    function _checkAllLeaves(uint256 size, bytes32 salt) internal {
        bytes32[] memory entries = Rfc9162.makeEntries(size, salt);
        (uint64 firstSeq, uint64 lastSeq) = _anchorTree(entries);
        for (uint256 i = 0; i < size; ++i) {
            bytes32[] memory proof = Rfc9162.path(entries, i);
            assertTrue(anchorer.verifyInclusion(firstSeq, lastSeq, i, entries[i], proof), "valid proof");
        }
    }

    function test_VerifyInclusion_AllLeaves() public {
        uint8[10] memory sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 17];
        for (uint256 s = 0; s < sizes.length; ++s) {
            _checkAllLeaves(sizes[s], bytes32(s));
        }
    }

    function test_VerifyInclusion_KnownAnswerRoots() public {
        // Roots computed independently (Python hashlib) for entries sha256(bytes([i])), i = 0..n-1.
        uint8[6] memory sizes = [1, 2, 3, 5, 7, 8];
        bytes32[6] memory roots = [
            bytes32(0xd9de27625445003d8a9739a851e3ff8d41c0683630b4d63a88327a6aaa37c409),
            0x604d540f09268b91672ab011394d5266ccd7d4484d0d109411a55848126a1b2c,
            0xd1f13800048f5909d4043fc0c152f6643280cba608b672715e56ce159a20629f,
            0x6b313b611b40676b9e1dfd70c4503f2379f88f0f1c2740fb7e1cacc32c113465,
            0xbee2275db16667589a4515f63e0d053a2fa602c1d9f9703e98920a5bdad59baf,
            0x80e139b44c90f91edebec705cc7586c3d90f4bdadd49628d25c20d4b03419287
        ];
        for (uint256 s = 0; s < sizes.length; ++s) {
            bytes32[] memory entries = new bytes32[](sizes[s]);
            for (uint256 i = 0; i < entries.length; ++i) {
                entries[i] = sha256(abi.encodePacked(uint8(i)));
            }
            assertEq(Rfc9162.root(entries), roots[s]);
            (uint64 firstSeq, uint64 lastSeq) = _anchor(sizes[s], roots[s]);
            for (uint256 i = 0; i < entries.length; ++i) {
                assertTrue(anchorer.verifyInclusion(firstSeq, lastSeq, i, entries[i], Rfc9162.path(entries, i)));
            }
        }
    }

    function test_VerifyInclusion_RejectsForgedProofs() public {
        uint8[6] memory sizes = [1, 2, 3, 5, 7, 8];
        for (uint256 s = 0; s < sizes.length; ++s) {
            uint256 size = sizes[s];
            bytes32[] memory entries = Rfc9162.makeEntries(size, keccak256(abi.encode("forged", s)));
            (uint64 firstSeq, uint64 lastSeq) = _anchorTree(entries);
            for (uint256 i = 0; i < size; ++i) {
                _checkForgeries(firstSeq, lastSeq, entries, i);
            }
        }
    }

    function _checkForgeries(uint64 firstSeq, uint64 lastSeq, bytes32[] memory entries, uint256 i) internal view {
        uint256 size = entries.length;
        bytes32[] memory proof = Rfc9162.path(entries, i);

        // wrong entry
        assertFalse(anchorer.verifyInclusion(firstSeq, lastSeq, i, keccak256("not an entry"), proof), "entry");

        // wrong sibling, at every level
        for (uint256 j = 0; j < proof.length; ++j) {
            bytes32[] memory forged = _copy(proof, proof.length);
            forged[j] = forged[j] ^ bytes32(uint256(1));
            assertFalse(anchorer.verifyInclusion(firstSeq, lastSeq, i, entries[i], forged), "sibling");
        }

        // wrong index: every other position, and out of range
        for (uint256 k = 0; k < size; ++k) {
            if (k == i) continue;
            assertFalse(anchorer.verifyInclusion(firstSeq, lastSeq, k, entries[i], proof), "index");
        }
        assertFalse(anchorer.verifyInclusion(firstSeq, lastSeq, size, entries[i], proof), "index == size");
        assertFalse(anchorer.verifyInclusion(firstSeq, lastSeq, type(uint256).max, entries[i], proof), "max");

        // wrong size: the batch bounds do not name an anchored batch
        assertFalse(anchorer.verifyInclusion(firstSeq, lastSeq + 1, i, entries[i], proof), "size + 1");
        if (lastSeq > firstSeq) {
            assertFalse(anchorer.verifyInclusion(firstSeq, lastSeq - 1, i, entries[i], proof), "size - 1");
        }
        assertFalse(anchorer.verifyInclusion(lastSeq, firstSeq - 1, 0, entries[i], proof), "reversed bounds");

        // truncated and overlong paths
        if (proof.length > 0) {
            assertFalse(
                anchorer.verifyInclusion(firstSeq, lastSeq, i, entries[i], _copy(proof, proof.length - 1)),
                "truncated"
            );
        }
        bytes32[] memory longer = _copy(proof, proof.length + 1);
        longer[proof.length] = entries[i];
        assertFalse(anchorer.verifyInclusion(firstSeq, lastSeq, i, entries[i], longer), "overlong");
    }

    function test_VerifyInclusion_RejectsProofForAnotherTreeSize() public {
        bytes32[] memory entries = Rfc9162.makeEntries(7, "size");
        (uint64 firstSeq, uint64 lastSeq) = _anchorTree(entries);
        bytes32[] memory six = _copy(entries, 6);
        for (uint256 i = 0; i < 6; ++i) {
            bytes32[] memory proofInSix = Rfc9162.path(six, i);
            assertFalse(anchorer.verifyInclusion(firstSeq, lastSeq, i, entries[i], proofInSix));
        }
    }

    function test_VerifyInclusion_UnknownBatch() public view {
        bytes32[] memory empty = new bytes32[](0);
        assertFalse(anchorer.verifyInclusion(1, 1, 0, ROOT, empty));
        assertFalse(anchorer.verifyInclusion(5, 1, 0, ROOT, empty));
    }

    function test_VerifyInclusion_OnlyAgainstItsOwnBatch() public {
        bytes32[] memory a = Rfc9162.makeEntries(4, "a");
        bytes32[] memory b = Rfc9162.makeEntries(4, "b");
        (uint64 firstA, uint64 lastA) = _anchorTree(a);
        (uint64 firstB, uint64 lastB) = _anchorTree(b);
        assertTrue(anchorer.verifyInclusion(firstA, lastA, 2, a[2], Rfc9162.path(a, 2)));
        assertFalse(anchorer.verifyInclusion(firstB, lastB, 2, a[2], Rfc9162.path(a, 2)));
    }

    function _copy(bytes32[] memory src, uint256 len) internal pure returns (bytes32[] memory dst) {
        dst = new bytes32[](len);
        for (uint256 i = 0; i < len && i < src.length; ++i) {
            dst[i] = src[i];
        }
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_Anchor_BatchBounds(uint64 firstSize, uint64 secondSize, bytes32 root) public {
        vm.assume(root != bytes32(0));
        firstSize = uint64(bound(firstSize, 1, type(uint32).max));
        secondSize = uint64(bound(secondSize, 1, type(uint32).max));
        (uint64 first1, uint64 last1) = _anchor(firstSize, root);
        assertEq(first1, 1);
        vm.expectEmit(address(anchorer));
        emit IAuditAnchor.BatchAnchored(_key(last1 + 1, last1 + secondSize), root);
        (uint64 first2, uint64 last2) = _anchor(secondSize, root);

        assertEq(first2, last1 + 1);
        assertEq(anchorer.nextSeq(), last2 + 1);
        assertEq(uint256(anchorer.nextSeq()) - 1, uint256(firstSize) + secondSize);
        assertEq(anchorer.rootOf(first1, last1), root);
        assertEq(anchorer.rootOf(first2, last2), root);
    }

    function testFuzz_RevertWhen_FirstSeqIsNotNextSeq(uint64 firstSeq, uint64 lastSeq) public {
        vm.assume(firstSeq != 1);
        vm.expectRevert(abi.encodeWithSelector(IAuditAnchor.NonContiguousBatch.selector, 1, firstSeq));
        vm.prank(admin);
        anchorer.anchor(firstSeq, lastSeq, ROOT);
    }

    function testFuzz_VerifyInclusion(uint256 size, uint256 index, bytes32 salt, uint256 flip) public {
        size = bound(size, 1, 70);
        index = bound(index, 0, size - 1);
        bytes32[] memory entries = Rfc9162.makeEntries(size, salt);
        (uint64 firstSeq, uint64 lastSeq) = _anchorTree(entries);
        bytes32[] memory proof = Rfc9162.path(entries, index);
        assertTrue(anchorer.verifyInclusion(firstSeq, lastSeq, index, entries[index], proof));

        if (proof.length > 0) {
            uint256 j = flip % proof.length;
            proof[j] = proof[j] ^ bytes32(uint256(1) << (flip % 256));
            assertFalse(anchorer.verifyInclusion(firstSeq, lastSeq, index, entries[index], proof));
        }
    }

    function _key(uint64 firstSeq, uint64 lastSeq) private pure returns (uint256) {
        return (uint256(firstSeq) << 64) | lastSeq;
    }
}
