// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IAuditAnchor
 * @notice Errors, events and external functions of {AuditAnchor}, which anchors the Merkle roots
 * (RFC 9162, SHA-256) of contiguous batches of the platform's audit log.
 */
interface IAuditAnchor {
    /// @dev `firstSeq` is not the next unanchored sequence number `expectedFirstSeq`.
    error NonContiguousBatch(uint64 expectedFirstSeq, uint64 firstSeq);

    /// @dev `lastSeq` is lower than `firstSeq`.
    error EmptyBatch();

    /// @dev The Merkle root is zero.
    error ZeroRoot();

    /// @dev All 2^32 - 1 batch indexes are used.
    error BatchCountExhausted();

    /// @dev An address argument that must be set is the zero address.
    error ZeroAddress();

    /**
     * @dev The batch of audit events `firstSeq..lastSeq` (inclusive) was anchored under `root`, where
     * `batchKey = firstSeq << 64 | lastSeq` (the key of {rootOf}). Two data words and no indexed topic:
     * the event is a third of an anchor's gas above the storage writes. Batches tile `1..nextSeq()-1`
     * in log order, so a reader checks completeness against {nextSeq} (no batch index is needed).
     */
    event BatchAnchored(uint256 batchKey, bytes32 root);

    /**
     * @notice Anchors the Merkle root of the audit events `firstSeq..lastSeq` (inclusive).
     *
     * Requirements:
     *
     * - the caller must have `ANCHORER_ROLE`.
     * - `firstSeq` must equal {nextSeq} (batches are contiguous and never overlap).
     * - `lastSeq` must be greater than or equal to `firstSeq`.
     * - `root` must not be zero.
     * - `lastSeq` must be below `type(uint64).max` (else Panic 0x11: `nextSeq` would not fit) and fewer
     *   than 2^32 - 1 batches may exist ({BatchCountExhausted}).
     *
     * Emits a {BatchAnchored} event.
     */
    function anchor(uint64 firstSeq, uint64 lastSeq, bytes32 root) external;

    /// @notice The first sequence number that the next batch must start with (1 before any batch).
    function nextSeq() external view returns (uint64);

    /// @notice The number of batches anchored so far.
    function batchCount() external view returns (uint256);

    /// @notice The root anchored for the batch `firstSeq..lastSeq`, or zero if there is no such batch.
    function rootOf(uint64 firstSeq, uint64 lastSeq) external view returns (bytes32);

    /**
     * @notice Verifies an RFC 9162 (section 2.1.3.2) inclusion proof of `entryHash` at position
     * `leafIndex` of the anchored batch `firstSeq..lastSeq`.
     * @return True if the proof checks out against the anchored root; false otherwise, never a revert.
     */
    function verifyInclusion(
        uint64 firstSeq,
        uint64 lastSeq,
        uint256 leafIndex,
        bytes32 entryHash,
        bytes32[] calldata auditPath
    ) external view returns (bool);
}
