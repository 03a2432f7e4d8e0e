// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAuditAnchor} from "./interfaces/IAuditAnchor.sol";
import {Roles} from "./libraries/Roles.sol";

/**
 * @title AuditAnchor
 * @notice Anchors the Merkle roots of contiguous batches of the platform's audit log, and verifies
 * RFC 9162 inclusion proofs against them.
 *
 * Audit events carry sequence numbers starting at 1. Each batch covers `firstSeq..lastSeq`
 * (inclusive) and must start right after the previous one, so the anchored batches always tile
 * `1..nextSeq()-1` without gaps or overlaps.
 *
 * Gas: `anchor` writes exactly one new storage slot (the batch root) and rewrites one packed slot
 * (`nextSeq`, `batchCount` and a cached `ANCHORER_ROLE` holder). The cache lets the usual anchorer
 * skip the cold `AccessControl` role lookup; any other `ANCHORER_ROLE` holder is still accepted
 * through {AccessControl-_checkRole}, and the cache is cleared when its account loses the role.
 */
contract AuditAnchor is AccessControl, IAuditAnchor {
    /// @notice Role allowed to anchor batches.
    bytes32 public constant ANCHORER_ROLE = Roles.ANCHORER_ROLE;

    // Layout of `_head`, the only slot `anchor` rewrites:
    //   bits   0..63   nextSeq    first sequence number of the next batch
    //   bits  64..95   batchCount number of anchored batches
    //   bits  96..255  anchorer   zero, or an account that holds ANCHORER_ROLE (role-check fast path)
    uint256 private constant _COUNT_SHIFT = 64;
    uint256 private constant _ANCHORER_SHIFT = 96;
    /// @dev One batch in the batchCount bits: 1 << _COUNT_SHIFT.
    uint256 private constant _ONE_BATCH = 0x1_0000_0000_0000_0000;

    uint256 private _head;

    /// @dev Batch root by `firstSeq << 64 | lastSeq`: one new slot per batch.
    mapping(uint256 batchKey => bytes32 root) private _roots;

    /**
     * @param admin Account that receives `DEFAULT_ADMIN_ROLE` and `ANCHORER_ROLE`.
     */
    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _head = 1; // nextSeq = 1, batchCount = 0
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ANCHORER_ROLE, admin);
    }

    /// @inheritdoc IAuditAnchor
    function anchor(uint64 firstSeq, uint64 lastSeq, bytes32 root) external {
        uint256 head = _head;
        // Fast path: the cached account always holds ANCHORER_ROLE, so it skips the (cold) role lookup.
        if (msg.sender != _anchorerOf(head)) _checkRole(ANCHORER_ROLE);
        // forge-lint: disable-next-line(unsafe-typecast)
        uint64 expectedFirstSeq = uint64(head); // bits 0..63
        if (firstSeq != expectedFirstSeq) revert NonContiguousBatch(expectedFirstSeq, firstSeq);
        if (lastSeq < firstSeq) revert EmptyBatch();
        if (root == bytes32(0)) revert ZeroRoot();
        // Checked: reverts with Panic(0x11) once the uint64 sequence space is exhausted.
        uint64 newNextSeq = lastSeq + 1;

        // New head: same anchorer, batchCount + 1, nextSeq = lastSeq + 1, in one addition. A batchCount
        // overflow (2^32 batches) would carry into the anchorer bits, so it is checked; nextSeq cannot
        // carry (newNextSeq fits in 64 bits, checked above).
        if ((head >> _COUNT_SHIFT) & type(uint32).max == type(uint32).max) revert BatchCountExhausted();
        unchecked {
            _head = head + _ONE_BATCH + (newNextSeq - firstSeq);
        }
        uint256 key = _batchKey(firstSeq, lastSeq);
        bytes32 topic = BatchAnchored.selector;
        // `_roots[key] = root; emit BatchAnchored(key, root);` in the scratch space: the anchor is the
        // platform's most frequent transaction, and this saves the free-memory-pointer bookkeeping.
        assembly ("memory-safe") {
            mstore(0x00, key)
            mstore(0x20, _roots.slot)
            sstore(keccak256(0x00, 0x40), root)
            mstore(0x20, root)
            log1(0x00, 0x40, topic)
        }
    }

    /// @inheritdoc IAuditAnchor
    function nextSeq() external view returns (uint64) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint64(_head);
    }

    /// @inheritdoc IAuditAnchor
    function batchCount() external view returns (uint256) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint32(_head >> _COUNT_SHIFT);
    }

    /// @inheritdoc IAuditAnchor
    function rootOf(uint64 firstSeq, uint64 lastSeq) external view returns (bytes32) {
        return _roots[_batchKey(firstSeq, lastSeq)];
    }

    /// @inheritdoc IAuditAnchor
    function verifyInclusion(
        uint64 firstSeq,
        uint64 lastSeq,
        uint256 leafIndex,
        bytes32 entryHash,
        bytes32[] calldata auditPath
    ) external view returns (bool) {
        if (lastSeq < firstSeq) return false;
        bytes32 root = _roots[_batchKey(firstSeq, lastSeq)];
        if (root == bytes32(0)) return false;

        // RFC 9162, section 2.1.3.2, with HASH = SHA-256.
        uint256 treeSize = uint256(lastSeq) - firstSeq + 1;
        if (leafIndex >= treeSize) return false;
        uint256 fn = leafIndex;
        uint256 sn = treeSize - 1;
        bytes32 r = sha256(abi.encodePacked(bytes1(0x00), entryHash));
        for (uint256 i = 0; i < auditPath.length; ++i) {
            if (sn == 0) return false; // path longer than the tree is high
            if (fn & 1 == 1 || fn == sn) {
                r = sha256(abi.encodePacked(bytes1(0x01), auditPath[i], r));
                while (fn & 1 == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = sha256(abi.encodePacked(bytes1(0x01), r, auditPath[i]));
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r == root; // sn != 0: path too short
    }

    /// @notice The account on the fast path of the anchorer check (zero if none); it holds `ANCHORER_ROLE`.
    function cachedAnchorer() external view returns (address) {
        return _anchorerOf(_head);
    }

    /// @dev Points the anchorer fast path at the latest `ANCHORER_ROLE` grantee.
    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && role == ANCHORER_ROLE) _setCachedAnchorer(account);
    }

    /// @dev Clears the anchorer fast path when its account loses `ANCHORER_ROLE` (revoked or renounced).
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && role == ANCHORER_ROLE && _anchorerOf(_head) == account) {
            _setCachedAnchorer(address(0));
        }
    }

    function _setCachedAnchorer(address account) private {
        _head = (_head & type(uint96).max) | (uint256(uint160(account)) << _ANCHORER_SHIFT);
    }

    function _anchorerOf(uint256 head) private pure returns (address) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return address(uint160(head >> _ANCHORER_SHIFT)); // exact: bits 96..255 hold the address
    }

    function _batchKey(uint64 firstSeq, uint64 lastSeq) private pure returns (uint256) {
        return (uint256(firstSeq) << 64) | lastSeq;
    }
}
