// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IAuthorizationRegistry} from "./interfaces/IAuthorizationRegistry.sol";
import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";
import {Roles} from "./libraries/Roles.sol";

/**
 * @title AuthorizationRegistry
 * @notice Registry of credit-information authorizations. An exporter signs a {CreditAuthorization}
 * (EIP-712) that lets one bank consult some scopes of its credit information during a validity window;
 * the platform relays it with {grant}. The exporter can {revoke} it, and the bank records every access
 * with {recordAccess}, which refuses revoked grants, accesses outside the validity window and scopes beyond
 * the grant.
 *
 * An access is judged at the time it was made (`accessedAt`), not at the block that records it: a lookup
 * served a second before the grant expired is recorded after that second, and one served before a chain
 * outage is recorded when the chain is back. The access time may not be ahead of the block's by more
 * than {CLOCK_TOLERANCE}; how late a record came is public, as the block's time beside `accessedAt`.
 *
 * A grant is identified by its EIP-712 digest, which also makes every signed authorization usable once.
 */
contract AuthorizationRegistry is EIP712, IAuthorizationRegistry {
    /// @dev keccak256 of the EIP-712 type string of {CreditAuthorization}.
    bytes32 public constant CREDIT_AUTHORIZATION_TYPEHASH = keccak256(
        "CreditAuthorization(bytes32 authorizationId,address exporter,address bank,string purpose,uint8 scopes,uint64 dataFrom,uint64 dataTo,uint64 validFrom,uint64 expiresAt)"
    );

    /// @dev Union of the defined scope bits: basic (1), transaction credit (2), regulatory credit (4).
    uint8 public constant ALL_SCOPES = 7;

    /// @dev How far an access time may be ahead of the block's (the platform's clock and the node's differ).
    uint64 public constant CLOCK_TOLERANCE = 5 minutes;

    struct Grant {
        // slot 0
        address exporter;
        uint8 scopes;
        uint64 validFrom;
        bool revoked;
        // slot 1
        address bank;
        uint64 expiresAt;
        // slot 2
        uint256 accessCount;
    }

    IMemberRegistry private immutable _members;

    mapping(bytes32 digest => Grant) private _grants;
    mapping(bytes32 accessId => bool) private _accessRecorded;

    /**
     * @param members The {MemberRegistry} that says which accounts are exporters and banks.
     */
    constructor(address members) EIP712("CrossBorderCreditAuthorization", "1") {
        if (members == address(0)) revert ZeroAddress();
        _members = IMemberRegistry(members);
    }

    /// @inheritdoc IAuthorizationRegistry
    function grant(CreditAuthorization calldata auth, bytes calldata signature) external {
        bytes32 digest = _hashAuthorization(auth);
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err != ECDSA.RecoverError.NoError || signer != auth.exporter) revert InvalidSignature();
        if (!_members.isMember(auth.exporter, Roles.EXPORTER_ROLE)) revert NotExporter(auth.exporter);
        if (!_members.isMember(auth.bank, Roles.BANK_ROLE)) revert NotBank(auth.bank);
        if (auth.expiresAt <= auth.validFrom || auth.dataTo < auth.dataFrom) revert InvalidPeriod();
        if (auth.scopes == 0 || auth.scopes & ~ALL_SCOPES != 0) revert InvalidScopes(auth.scopes);
        Grant storage g = _grants[digest];
        if (g.exporter != address(0)) revert AlreadyGranted(digest);

        g.exporter = auth.exporter;
        g.scopes = auth.scopes;
        g.validFrom = auth.validFrom;
        g.bank = auth.bank;
        g.expiresAt = auth.expiresAt;
        emit AuthorizationGranted(
            digest, auth.exporter, auth.bank, auth.authorizationId, auth.scopes, auth.validFrom, auth.expiresAt
        );
    }

    /// @inheritdoc IAuthorizationRegistry
    function revoke(bytes32 digest) external {
        Grant storage g = _grants[digest];
        address exporter = g.exporter;
        if (exporter == address(0)) revert UnknownAuthorization(digest);
        if (exporter != msg.sender) revert NotGrantor(digest, msg.sender);
        if (g.revoked) revert AlreadyRevoked(digest);

        g.revoked = true;
        emit AuthorizationRevoked(digest, exporter);
    }

    /// @inheritdoc IAuthorizationRegistry
    function recordAccess(bytes32 digest, bytes32 accessId, uint8 scopes, uint64 accessedAt) external {
        Grant storage g = _grants[digest];
        if (g.exporter == address(0)) revert UnknownAuthorization(digest);
        if (g.bank != msg.sender) revert NotGrantee(digest, msg.sender);
        if (g.revoked) revert AuthorizationIsRevoked(digest);
        // Times are in seconds on both sides; the tolerance is for clocks, not for precision.
        // forge-lint: disable-next-line(block-timestamp)
        if (accessedAt > block.timestamp + CLOCK_TOLERANCE) revert AccessTimeInFuture(accessId, accessedAt);
        if (accessedAt < g.validFrom) revert AuthorizationNotYetValid(digest);
        if (accessedAt >= g.expiresAt) revert AuthorizationHasExpired(digest);
        uint8 granted = g.scopes;
        if (scopes == 0 || scopes & ~granted != 0) revert ScopeNotAuthorized(digest, scopes, granted);
        if (_accessRecorded[accessId]) revert AccessAlreadyRecorded(accessId);

        _accessRecorded[accessId] = true;
        ++g.accessCount;
        emit AccessRecorded(digest, msg.sender, accessId, scopes, accessedAt);
    }

    /// @inheritdoc IAuthorizationRegistry
    function hashAuthorization(CreditAuthorization calldata auth) external view returns (bytes32 digest) {
        return _hashAuthorization(auth);
    }

    /// @inheritdoc IAuthorizationRegistry
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc IAuthorizationRegistry
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
        )
    {
        Grant storage g = _grants[digest];
        return (g.exporter, g.bank, g.scopes, g.validFrom, g.expiresAt, g.revoked, g.accessCount);
    }

    /// @inheritdoc IAuthorizationRegistry
    function isActive(bytes32 digest) external view returns (bool) {
        Grant storage g = _grants[digest];
        // forge-lint: disable-start(block-timestamp)
        return g.exporter != address(0) && !g.revoked && block.timestamp >= g.validFrom
            && block.timestamp < g.expiresAt;
        // forge-lint: disable-end(block-timestamp)
    }

    /// @notice Whether an access with id `accessId` was recorded.
    function isAccessRecorded(bytes32 accessId) external view returns (bool) {
        return _accessRecorded[accessId];
    }

    /// @notice The {MemberRegistry} consulted for exporter and bank membership.
    function memberRegistry() external view returns (address) {
        return address(_members);
    }

    function _hashAuthorization(CreditAuthorization calldata auth) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    CREDIT_AUTHORIZATION_TYPEHASH,
                    auth.authorizationId,
                    auth.exporter,
                    auth.bank,
                    keccak256(bytes(auth.purpose)),
                    auth.scopes,
                    auth.dataFrom,
                    auth.dataTo,
                    auth.validFrom,
                    auth.expiresAt
                )
            )
        );
    }
}
