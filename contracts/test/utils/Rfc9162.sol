// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title Rfc9162
 * @notice Test-side reference implementation of the RFC 9162 (Certificate Transparency v2) Merkle tree
 * with SHA-256: the Merkle Tree Hash (section 2.1.1) and inclusion paths (section 2.1.3.1), over entries
 * given as 32-byte hashes. Leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right).
 */
library Rfc9162 {
    function leafHash(bytes32 entry) internal pure returns (bytes32) {
        return sha256(abi.encodePacked(bytes1(0x00), entry));
    }

    function nodeHash(bytes32 left, bytes32 right) internal pure returns (bytes32) {
        return sha256(abi.encodePacked(bytes1(0x01), left, right));
    }

    /// @dev Largest power of two strictly smaller than `n` (n >= 2).
    function split(uint256 n) internal pure returns (uint256 k) {
        k = 1;
        while (k << 1 < n) k <<= 1;
    }

    /// @dev MTH(D[start:end]) for a non-empty range.
    function root(bytes32[] memory entries, uint256 start, uint256 end) internal pure returns (bytes32) {
        uint256 n = end - start;
        if (n == 1) return leafHash(entries[start]);
        uint256 k = split(n);
        return nodeHash(root(entries, start, start + k), root(entries, start + k, end));
    }

    function root(bytes32[] memory entries) internal pure returns (bytes32) {
        return root(entries, 0, entries.length);
    }

    /// @dev PATH(m, D[start:end]), leaf-to-root order.
    function path(bytes32[] memory entries, uint256 m, uint256 start, uint256 end)
        internal
        pure
        returns (bytes32[] memory result)
    {
        uint256 n = end - start;
        if (n == 1) return new bytes32[](0);
        uint256 k = split(n);
        bytes32[] memory sub;
        bytes32 sibling;
        if (m < k) {
            sub = path(entries, m, start, start + k);
            sibling = root(entries, start + k, end);
        } else {
            sub = path(entries, m - k, start + k, end);
            sibling = root(entries, start, start + k);
        }
        result = new bytes32[](sub.length + 1);
        for (uint256 i = 0; i < sub.length; ++i) {
            result[i] = sub[i];
        }
        result[sub.length] = sibling;
    }

    function path(bytes32[] memory entries, uint256 m) internal pure returns (bytes32[] memory) {
        return path(entries, m, 0, entries.length);
    }

    /// @dev Deterministic distinct entry hashes for tests.
    function makeEntries(uint256 n, bytes32 salt) internal pure returns (bytes32[] memory result) {
        result = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            result[i] = keccak256(abi.encode(salt, i));
        }
    }
}
