// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IAuthorizationRegistry
 * @notice Errors, events, the signed struct and external functions of {AuthorizationRegistry}: exporters
 * authorize banks, by an EIP-712 signature, to consult their credit information, and banks record every
 * access against the authorization.
 *
 * Scopes are a bitmask: 1 basic, 2 transaction credit, 4 regulatory credit. Times are unix seconds.
 */
interface IAuthorizationRegistry {
    /**
     * @dev The EIP-712 struct an exporter signs, under the domain
     * `EIP712Domain(name "CrossBorderCreditAuthorization", version "1", chainId, verifyingContract)`.
     * The type string is
     * `CreditAuthorization(bytes32 authorizationId,address exporter,address bank,string purpose,uint8 scopes,uint64 dataFrom,uint64 dataTo,uint64 validFrom,uint64 expiresAt)`.
     */
    struct CreditAuthorization {
        bytes32 authorizationId;
        address exporter;
        address bank;
        string purpose;
        uint8 scopes;
        uint64 dataFrom;
        uint64 dataTo;
        uint64 validFrom;
        uint64 expiresAt;
    }

    /// @dev The signature is malformed or was not made by the authorization's exporter.
    error InvalidSignature();

    /// @dev `account` is not an exporter member.
    error NotExporter(address account);

    /// @dev `account` is not a bank member.
    error NotBank(address account);

    /// @dev `expiresAt` is not after `validFrom`, or `dataTo` is before `dataFrom`.
    error InvalidPeriod();

    /// @dev `scopes` is zero or has bits outside 1 | 2 | 4.
    error InvalidScopes(uint8 scopes);

    /// @dev The authorization with this digest was already granted (replay).
    error AlreadyGranted(bytes32 digest);

    /// @dev No authorization was granted with this digest.
    error UnknownAuthorization(bytes32 digest);

    /// @dev `caller` is not the exporter that granted `digest`.
    error NotGrantor(bytes32 digest, address caller);

    /// @dev The authorization was already revoked.
    error AlreadyRevoked(bytes32 digest);

    /// @dev `caller` is not the bank that `digest` authorizes.
    error NotGrantee(bytes32 digest, address caller);

    /// @dev The authorization was revoked.
    error AuthorizationIsRevoked(bytes32 digest);

    /// @dev The access was made before the authorization's validity started (accessedAt < validFrom).
    error AuthorizationNotYetValid(bytes32 digest);

    /// @dev The access was made once the authorization had expired (accessedAt >= expiresAt).
    error AuthorizationHasExpired(bytes32 digest);

    /// @dev The access time is ahead of the block's by more than the clock tolerance.
    error AccessTimeInFuture(bytes32 accessId, uint64 accessedAt);

    /// @dev `requested` scopes are zero or not a subset of the `granted` scopes.
    error ScopeNotAuthorized(bytes32 digest, uint8 requested, uint8 granted);

    /// @dev An access with this id was already recorded.
    error AccessAlreadyRecorded(bytes32 accessId);

    /// @dev An address argument that must be set is the zero address.
    error ZeroAddress();

    /// @dev `exporter` authorized `bank`; `digest` is the EIP-712 digest that identifies the grant.
    event AuthorizationGranted(
        bytes32 indexed digest,
        address indexed exporter,
        address indexed bank,
        bytes32 authorizationId,
        uint8 scopes,
        uint64 validFrom,
        uint64 expiresAt
    );

    /// @dev `exporter` revoked the authorization `digest`.
    event AuthorizationRevoked(bytes32 indexed digest, address indexed exporter);

    /// @dev `bank` accessed `scopes` of the credit information under authorization `digest` at `accessedAt`.
    event AccessRecorded(
        bytes32 indexed digest, address indexed bank, bytes32 indexed accessId, uint8 scopes, uint64 accessedAt
    );

    /**
     * @notice Records the authorization `auth`, signed by its exporter. Anyone may submit it (the
     * platform relays it); the grant is identified by its EIP-712 digest ({hashAuthorization}).
     *
     * Requirements:
     *
     * - `signature` must be a valid 65-byte ECDSA signature (low `s`, `v` 27 or 28) of
     *   `hashAuthorization(auth)` by `auth.exporter`.
     * - `auth.exporter` must be an exporter member and `auth.bank` a bank member.
     * - `auth.expiresAt` must be after `auth.validFrom` and `auth.dataTo` not before `auth.dataFrom`.
     * - `auth.scopes` must be nonzero and within 1 | 2 | 4.
     * - the same authorization must not have been granted before.
     *
     * Emits an {AuthorizationGranted} event.
     */
    function grant(CreditAuthorization calldata auth, bytes calldata signature) external;

    /**
     * @notice Revokes the authorization `digest`.
     *
     * Requirements:
     *
     * - the authorization must exist.
     * - the caller must be its exporter.
     * - it must not be revoked already.
     *
     * Emits an {AuthorizationRevoked} event.
     */
    function revoke(bytes32 digest) external;

    /**
     * @notice Records that the calling bank accessed `scopes` of the exporter's credit information
     * under authorization `digest`, as access `accessId`, at `accessedAt` (seconds since the epoch).
     *
     * Requirements:
     *
     * - the authorization must exist and the caller must be its bank.
     * - it must not be revoked (a revocation is sent after the accesses made before it).
     * - `validFrom <= accessedAt < expiresAt`, and `accessedAt` at most the clock tolerance ahead of
     *   `block.timestamp`.
     * - `scopes` must be nonzero and a subset of the granted scopes.
     * - `accessId` must not have been recorded before.
     *
     * Emits an {AccessRecorded} event.
     */
    function recordAccess(bytes32 digest, bytes32 accessId, uint8 scopes, uint64 accessedAt) external;

    /// @notice The EIP-712 digest of `auth` (what the exporter signs and what identifies the grant).
    function hashAuthorization(CreditAuthorization calldata auth) external view returns (bytes32 digest);

    /// @notice The EIP-712 domain separator of this contract.
    function domainSeparator() external view returns (bytes32);

    /// @notice The stored grant `digest` (all zero if unknown).
    function authorization(bytes32 digest)
        external
        view
        returns (
            address exporter,
            address bank,
            uint8 scopes,
            uint64 validFrom,
            uint64 expiresAt,
            bool revoked,
            uint256 accessCount
        );

    /// @notice Whether `digest` is granted, not revoked, and `validFrom <= block.timestamp < expiresAt`.
    function isActive(bytes32 digest) external view returns (bool);
}
