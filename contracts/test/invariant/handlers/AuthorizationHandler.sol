// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AuthorizationRegistry} from "../../../src/AuthorizationRegistry.sol";
import {IAuthorizationRegistry} from "../../../src/interfaces/IAuthorizationRegistry.sol";
import {Test} from "../../utils/Test.sol";

/**
 * @notice Drives {AuthorizationRegistry}: exporters (known keys) grant authorizations signed with
 * `vm.sign`, revoke them, time moves forward, and banks (and intruders) try to record accesses. Every
 * access that succeeds is checked against the model at that instant.
 */
contract AuthorizationHandler is Test {
    struct GhostGrant {
        address exporter;
        address bank;
        uint8 scopes;
        uint64 validFrom;
        uint64 expiresAt;
        bool revoked;
        uint256 accessCount;
    }

    AuthorizationRegistry public immutable registry;

    uint256[] internal _exporterKeys;
    address[] internal _banks;
    address internal immutable _intruder;

    bytes32[] internal _digests;
    mapping(bytes32 digest => GhostGrant) internal _ghost;
    bytes32[] internal _accessIds;

    /// Handler's clock; re-applied with vm.warp at the start of every action.
    uint256 public ghostNow;
    /// Accesses that succeeded under a revoked, not-yet-valid or expired grant, or beyond its scopes.
    uint256 public ghostAccessesUnderInvalidGrant;
    /// Calls whose outcome differed from the model (must stay 0).
    uint256 public ghostUnexpectedOutcomes;

    uint256 public callsGranted;
    uint256 public callsAccessed;
    uint256 public callsAccessRefused;
    uint256 public callsRevoked;

    constructor(AuthorizationRegistry registry_, uint256[] memory exporterKeys, address[] memory banks, address intruder)
    {
        registry = registry_;
        _exporterKeys = exporterKeys;
        _banks = banks;
        _intruder = intruder;
        ghostNow = block.timestamp;
    }

    // ------------------------------------------------------------------ actions

    function grant(uint256 exporterSeed, uint256 bankSeed, uint8 scopes, uint256 startOffset, uint256 duration)
        external
    {
        vm.warp(ghostNow);
        uint256 key = _exporterKeys[exporterSeed % _exporterKeys.length];
        IAuthorizationRegistry.CreditAuthorization memory auth = IAuthorizationRegistry.CreditAuthorization({
            authorizationId: keccak256(abi.encode("authorization", _digests.length)),
            exporter: vm.addr(key),
            bank: _banks[bankSeed % _banks.length],
            purpose: "invariant",
            scopes: uint8(bound(scopes, 1, 7)),
            dataFrom: 0,
            dataTo: uint64(ghostNow),
            // from two days ago up to five days ahead
            validFrom: uint64(ghostNow + bound(startOffset, 0, 7 days) - 2 days),
            expiresAt: 0
        });
        auth.expiresAt = auth.validFrom + uint64(bound(duration, 1, 5 days));

        bytes32 digest = registry.hashAuthorization(auth);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        registry.grant(auth, abi.encodePacked(r, s, v)); // must succeed: reverts fail the run

        _digests.push(digest);
        _ghost[digest] = GhostGrant({
            exporter: auth.exporter,
            bank: auth.bank,
            scopes: auth.scopes,
            validFrom: auth.validFrom,
            expiresAt: auth.expiresAt,
            revoked: false,
            accessCount: 0
        });
        ++callsGranted;
    }

    function revoke(uint256 digestSeed, bool byExporter) external {
        if (_digests.length == 0) return;
        vm.warp(ghostNow);
        bytes32 digest = _digests[digestSeed % _digests.length];
        GhostGrant storage g = _ghost[digest];
        address caller = byExporter ? g.exporter : g.bank;
        bool ok = byExporter && !g.revoked;

        vm.prank(caller);
        try registry.revoke(digest) {
            if (!ok) ++ghostUnexpectedOutcomes;
            g.revoked = true;
            ++callsRevoked;
        } catch {
            if (ok) ++ghostUnexpectedOutcomes;
        }
    }

    function warp(uint256 delta) external {
        ghostNow += bound(delta, 0, 2 days);
        vm.warp(ghostNow);
    }

    function recordAccess(uint256 digestSeed, uint256 callerSeed, uint8 scopes, uint256 reuseSeed, uint256 agoSeed)
        external
    {
        if (_digests.length == 0) return;
        vm.warp(ghostNow);
        bytes32 digest = _digests[digestSeed % _digests.length];
        GhostGrant storage g = _ghost[digest];

        address caller = callerSeed % 5 == 0 ? _intruder : (callerSeed % 5 == 1 ? _banks[callerSeed % _banks.length] : g.bank);
        scopes = uint8(bound(scopes, 0, 8));
        bool reuse = _accessIds.length > 0 && reuseSeed % 10 == 0;
        bytes32 accessId = reuse ? _accessIds[reuseSeed % _accessIds.length] : keccak256(abi.encode("access", _accessIds.length, digest));

        uint64 accessedAt = _accessTime(agoSeed);
        // Live when the access was made, and not stated ahead of this block by more than the tolerance.
        bool validThen = !g.revoked && accessedAt <= ghostNow + 5 minutes && accessedAt >= g.validFrom
            && accessedAt < g.expiresAt;
        bool scopesOk = scopes != 0 && scopes & ~g.scopes == 0;
        bool ok = caller == g.bank && validThen && scopesOk && !reuse;

        vm.prank(caller);
        try registry.recordAccess(digest, accessId, scopes, accessedAt) {
            // The property under test: an access only ever lands under a grant live when it was made.
            (,,,,, bool revoked,) = registry.authorization(digest);
            if (!validThen || revoked || !scopesOk || caller != g.bank) ++ghostAccessesUnderInvalidGrant;
            if (!ok) ++ghostUnexpectedOutcomes;
            ++g.accessCount;
            _accessIds.push(accessId);
            ++callsAccessed;
        } catch {
            if (ok) ++ghostUnexpectedOutcomes;
            ++callsAccessRefused;
        }
    }

    /// When an access was made: up to 3 days before this block (a late record), or up to 10 minutes after
    /// it (a platform clock ahead of the node's; 5 minutes are tolerated).
    function _accessTime(uint256 seed) private view returns (uint64) {
        uint256 offset = bound(seed, 0, 3 days + 10 minutes);
        if (offset > 3 days) return uint64(ghostNow + (offset - 3 days));
        return uint64(ghostNow > 3 days - offset ? ghostNow - (3 days - offset) : 0);
    }

    // ------------------------------------------------------------------ views for the invariants

    function digests() external view returns (bytes32[] memory) {
        return _digests;
    }

    function ghostGrant(bytes32 digest) external view returns (GhostGrant memory) {
        return _ghost[digest];
    }
}
