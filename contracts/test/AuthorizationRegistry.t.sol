// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AuthorizationRegistry} from "../src/AuthorizationRegistry.sol";
import {MemberRegistry} from "../src/MemberRegistry.sol";
import {IAuthorizationRegistry} from "../src/interfaces/IAuthorizationRegistry.sol";
import {Test} from "./utils/Test.sol";

abstract contract AuthorizationFixture is Test {
    MemberRegistry internal members;
    AuthorizationRegistry internal registry;

    address internal admin = makeAddr("admin");
    uint256 internal exporterKey = makeKey("exporter");
    address internal exporter = makeAddr("exporter");
    uint256 internal otherExporterKey = makeKey("otherExporter");
    address internal otherExporter = makeAddr("otherExporter");
    uint256 internal bankKey = makeKey("bank");
    address internal bank = makeAddr("bank");
    address internal otherBank = makeAddr("otherBank");
    uint256 internal strangerKey = makeKey("stranger");
    address internal stranger = makeAddr("stranger");

    uint64 internal constant T0 = 1_750_000_000;
    uint64 internal constant VALID_FROM = T0 + 1 hours;
    uint64 internal constant EXPIRES_AT = T0 + 30 days;

    uint8 internal constant BASIC = 1;
    uint8 internal constant TRANSACTION_CREDIT = 2;
    uint8 internal constant REGULATORY_CREDIT = 4;

    bytes32 internal constant TYPEHASH = keccak256(
        "CreditAuthorization(bytes32 authorizationId,address exporter,address bank,string purpose,uint8 scopes,uint64 dataFrom,uint64 dataTo,uint64 validFrom,uint64 expiresAt)"
    );

    function setUp() public virtual {
        vm.warp(T0);
        members = new MemberRegistry(admin);
        registry = new AuthorizationRegistry(address(members));
        vm.startPrank(admin);
        members.registerMember(exporter, members.EXPORTER_ROLE(), keccak256("exp-org"));
        members.registerMember(otherExporter, members.EXPORTER_ROLE(), keccak256("exp-org-2"));
        members.registerMember(bank, members.BANK_ROLE(), keccak256("bank-org"));
        members.registerMember(otherBank, members.BANK_ROLE(), keccak256("bank-org-2"));
        vm.stopPrank();
    }

    function _auth() internal view returns (IAuthorizationRegistry.CreditAuthorization memory) {
        return IAuthorizationRegistry.CreditAuthorization({
            authorizationId: bytes32(uint256(0x5d1e0c6a8b7f4e3d9c2b1a0f9e8d7c6b)),
            exporter: exporter,
            bank: bank,
            purpose: "pre-shipment financing credit review",
            scopes: BASIC | TRANSACTION_CREDIT,
            dataFrom: T0 - 365 days,
            dataTo: T0,
            validFrom: VALID_FROM,
            expiresAt: EXPIRES_AT
        });
    }

    /// @dev Independent EIP-712 digest (does not call the contract).
    function _digest(IAuthorizationRegistry.CreditAuthorization memory a) internal view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                TYPEHASH,
                a.authorizationId,
                a.exporter,
                a.bank,
                keccak256(bytes(a.purpose)),
                a.scopes,
                a.dataFrom,
                a.dataTo,
                a.validFrom,
                a.expiresAt
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator(), structHash));
    }

    function _domainSeparator() internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("CrossBorderCreditAuthorization"),
                keccak256("1"),
                block.chainid,
                address(registry)
            )
        );
    }

    function _sign(uint256 key, IAuthorizationRegistry.CreditAuthorization memory a)
        internal
        view
        returns (bytes memory)
    {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, _digest(a));
        return abi.encodePacked(r, s, v);
    }

    function _grant(IAuthorizationRegistry.CreditAuthorization memory a) internal returns (bytes32 digest) {
        registry.grant(a, _sign(exporterKey, a));
        return _digest(a);
    }
}

contract AuthorizationRegistryTest is AuthorizationFixture {
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    // ------------------------------------------------------------------ EIP-712

    function test_TypeHash() public view {
        assertEq(registry.CREDIT_AUTHORIZATION_TYPEHASH(), TYPEHASH);
    }

    function test_DomainSeparator() public view {
        assertEq(registry.domainSeparator(), _domainSeparator());
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            registry.eip712Domain();
        assertEq(keccak256(bytes(name)), keccak256("CrossBorderCreditAuthorization"));
        assertEq(keccak256(bytes(version)), keccak256("1"));
        assertEq(chainId, block.chainid);
        assertEq(verifyingContract, address(registry));
    }

    function test_HashAuthorization() public view {
        assertEq(registry.hashAuthorization(_auth()), _digest(_auth()));
    }

    function test_HashAuthorization_CoversEveryField() public view {
        bytes32 base = registry.hashAuthorization(_auth());
        IAuthorizationRegistry.CreditAuthorization memory a;

        a = _auth();
        a.authorizationId = bytes32(uint256(1));
        assertNotEq(registry.hashAuthorization(a), base);
        a = _auth();
        a.exporter = otherExporter;
        assertNotEq(registry.hashAuthorization(a), base);
        a = _auth();
        a.bank = otherBank;
        assertNotEq(registry.hashAuthorization(a), base);
        a = _auth();
        a.purpose = "marketing";
        assertNotEq(registry.hashAuthorization(a), base);
        a = _auth();
        a.scopes = 7;
        assertNotEq(registry.hashAuthorization(a), base);
        a = _auth();
        a.dataFrom += 1;
        assertNotEq(registry.hashAuthorization(a), base);
        a = _auth();
        a.dataTo += 1;
        assertNotEq(registry.hashAuthorization(a), base);
        a = _auth();
        a.validFrom += 1;
        assertNotEq(registry.hashAuthorization(a), base);
        a = _auth();
        a.expiresAt += 1;
        assertNotEq(registry.hashAuthorization(a), base);
    }

    function assertNotEq(bytes32 left, bytes32 right) internal pure {
        vm.assertNotEq(left, right);
    }

    /// @dev Vector produced off-chain with Python eth-account 0.14 (`encode_typed_data` +
    /// `Account.sign_message`), i.e. exactly what the backend does, for the `_auth()` fixture on chain
    /// 31337 with the registry at its deterministic test address.
    function test_EthAccountVector() public {
        assertEq(block.chainid, 31_337);
        assertEq(address(registry), 0x2e234DAe75C793f67A35089C9d99245E1C58470b);
        assertEq(exporter, 0x8a8916ba27AF30F9D05E926C041238b05F5ABAe1);
        assertEq(bank, 0xe9f51A167BdCa52E27D59CF70c14C892DeaBA855);
        assertEq(registry.domainSeparator(), 0xa48d961006a01f96e4aa4bd5fe7e6bfa47fbf2ed2a60fc9a71e1268e671528ab);
        bytes32 digest = 0xaac85a6e2d8a17686d3f3ca2008526f8c772e2abc0f3be9433ca1f3304264cda;
        assertEq(registry.hashAuthorization(_auth()), digest);

        bytes memory signature =
            hex"2ab0b415b9e2eba2e2fbc092ea1d09205352db0a5a6251f0c6227ae500ba4a896013f264fc7e67a1635c8035cc7097ca8ec1baa91d1295131c47b9f58758110d1c";
        registry.grant(_auth(), signature);
        (address storedExporter,,,,,,) = registry.authorization(digest);
        assertEq(storedExporter, exporter);
    }

    // ------------------------------------------------------------------ grant

    function test_Grant() public {
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        bytes32 digest = _digest(a);
        bytes memory signature = _sign(exporterKey, a);

        vm.expectEmit(address(registry));
        emit IAuthorizationRegistry.AuthorizationGranted(
            digest, exporter, bank, a.authorizationId, a.scopes, VALID_FROM, EXPIRES_AT
        );
        vm.prank(stranger); // anyone may relay
        registry.grant(a, signature);

        (
            address storedExporter,
            address storedBank,
            uint8 scopes,
            uint64 validFrom,
            uint64 expiresAt,
            bool revoked,
            uint256 accessCount
        ) = registry.authorization(digest);
        assertEq(storedExporter, exporter);
        assertEq(storedBank, bank);
        assertEq(scopes, BASIC | TRANSACTION_CREDIT);
        assertEq(validFrom, VALID_FROM);
        assertEq(expiresAt, EXPIRES_AT);
        assertFalse(revoked);
        assertEq(accessCount, 0);
    }

    function test_Authorization_UnknownIsZero() public view {
        (address e, address b, uint8 scopes, uint64 validFrom, uint64 expiresAt, bool revoked, uint256 count) =
            registry.authorization(keccak256("unknown"));
        assertEq(e, address(0));
        assertEq(b, address(0));
        assertEq(uint256(scopes) + validFrom + expiresAt + count, 0);
        assertFalse(revoked);
        assertFalse(registry.isActive(keccak256("unknown")));
    }

    function test_Grant_SameTermsWithNewIdIsANewGrant() public {
        bytes32 first = _grant(_auth());
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        a.authorizationId = keccak256("another");
        bytes32 second = _grant(a);
        assertTrue(first != second);
        assertTrue(registry.isActive(first) == registry.isActive(second));
    }

    function test_RevertWhen_GrantSignedByWrongKey() public {
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        uint256[3] memory wrongKeys = [bankKey, strangerKey, otherExporterKey];
        for (uint256 i = 0; i < wrongKeys.length; ++i) {
            bytes memory signature = _sign(wrongKeys[i], a);
            vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
            registry.grant(a, signature);
        }
    }

    function test_RevertWhen_GrantReplayed() public {
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        bytes memory signature = _sign(exporterKey, a);
        registry.grant(a, signature);

        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.AlreadyGranted.selector, _digest(a)));
        registry.grant(a, signature);
    }

    function test_RevertWhen_GrantReplayedAfterRevocation() public {
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        bytes memory signature = _sign(exporterKey, a);
        registry.grant(a, signature);
        bytes32 digest = _digest(a);
        vm.prank(exporter);
        registry.revoke(digest);

        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.AlreadyGranted.selector, digest));
        registry.grant(a, signature);
        (,,,,, bool revoked,) = registry.authorization(digest);
        assertTrue(revoked, "a replay cannot un-revoke");
    }

    function test_RevertWhen_SignatureCoversADifferentField() public {
        IAuthorizationRegistry.CreditAuthorization memory signed = _auth();
        bytes memory signature = _sign(exporterKey, signed);
        IAuthorizationRegistry.CreditAuthorization memory a;

        a = _auth();
        a.bank = otherBank;
        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        registry.grant(a, signature);

        a = _auth();
        a.scopes = 7;
        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        registry.grant(a, signature);

        a = _auth();
        a.expiresAt = EXPIRES_AT + 365 days;
        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        registry.grant(a, signature);

        a = _auth();
        a.purpose = "something else";
        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        registry.grant(a, signature);

        a = _auth();
        a.dataFrom = 0;
        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        registry.grant(a, signature);

        a = _auth();
        a.exporter = otherExporter;
        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        registry.grant(a, signature);
    }

    function test_RevertWhen_SignatureForAnotherDeployment() public {
        AuthorizationRegistry other = new AuthorizationRegistry(address(members));
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        bytes memory signature = _sign(exporterKey, a); // domain of `registry`
        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        other.grant(a, signature);
    }

    function test_RevertWhen_SignatureMalformed() public {
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(exporterKey, _digest(a));

        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        registry.grant(a, abi.encodePacked(r, s)); // 64 bytes (EIP-2098 form is not accepted)

        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        registry.grant(a, "");

        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        registry.grant(a, abi.encodePacked(r, s, uint8(v == 27 ? 28 : 27))); // other parity

        // Malleable twin (s' = n - s, flipped v): rejected by the low-s rule.
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        registry.grant(a, abi.encodePacked(r, highS, uint8(v == 27 ? 28 : 27)));

        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        registry.grant(a, abi.encodePacked(bytes32(0), bytes32(0), uint8(27)));
    }

    function test_RevertWhen_GrantExporterNotExporterMember() public {
        // A bank signs an authorization naming itself as exporter.
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        a.exporter = bank;
        bytes memory signature = _sign(bankKey, a);
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.NotExporter.selector, bank));
        registry.grant(a, signature);

        a.exporter = stranger;
        signature = _sign(strangerKey, a);
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.NotExporter.selector, stranger));
        registry.grant(a, signature);
    }

    function test_RevertWhen_GrantBankNotBankMember() public {
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        a.bank = otherExporter;
        bytes memory signature = _sign(exporterKey, a);
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.NotBank.selector, otherExporter));
        registry.grant(a, signature);

        a.bank = address(0);
        signature = _sign(exporterKey, a);
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.NotBank.selector, address(0)));
        registry.grant(a, signature);
    }

    function test_RevertWhen_GrantPeriodInvalid() public {
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        a.expiresAt = a.validFrom;
        bytes memory signature = _sign(exporterKey, a);
        vm.expectRevert(IAuthorizationRegistry.InvalidPeriod.selector);
        registry.grant(a, signature);

        a = _auth();
        a.expiresAt = a.validFrom - 1;
        signature = _sign(exporterKey, a);
        vm.expectRevert(IAuthorizationRegistry.InvalidPeriod.selector);
        registry.grant(a, signature);

        a = _auth();
        a.dataTo = a.dataFrom - 1;
        signature = _sign(exporterKey, a);
        vm.expectRevert(IAuthorizationRegistry.InvalidPeriod.selector);
        registry.grant(a, signature);
    }

    function test_Grant_SingleInstantDataPeriodIsValid() public {
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        a.dataTo = a.dataFrom;
        _grant(a);
    }

    function test_RevertWhen_GrantScopesInvalid() public {
        uint8[4] memory bad = [uint8(0), 8, 9, 255];
        for (uint256 i = 0; i < bad.length; ++i) {
            IAuthorizationRegistry.CreditAuthorization memory a = _auth();
            a.scopes = bad[i];
            bytes memory signature = _sign(exporterKey, a);
            vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.InvalidScopes.selector, bad[i]));
            registry.grant(a, signature);
        }
    }

    // ------------------------------------------------------------------ revoke

    function test_Revoke() public {
        bytes32 digest = _grant(_auth());
        vm.expectEmit(address(registry));
        emit IAuthorizationRegistry.AuthorizationRevoked(digest, exporter);
        vm.prank(exporter);
        registry.revoke(digest);

        (,,,,, bool revoked,) = registry.authorization(digest);
        assertTrue(revoked);
        vm.warp(VALID_FROM);
        assertFalse(registry.isActive(digest));
    }

    function test_RevertWhen_RevokeUnknown() public {
        bytes32 digest = keccak256("unknown");
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.UnknownAuthorization.selector, digest));
        vm.prank(exporter);
        registry.revoke(digest);
    }

    function test_RevertWhen_RevokeByNonGrantor() public {
        bytes32 digest = _grant(_auth());
        address[3] memory notGrantors = [bank, otherExporter, stranger];
        for (uint256 i = 0; i < notGrantors.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IAuthorizationRegistry.NotGrantor.selector, digest, notGrantors[i])
            );
            vm.prank(notGrantors[i]);
            registry.revoke(digest);
        }
    }

    function test_RevertWhen_RevokeTwice() public {
        bytes32 digest = _grant(_auth());
        vm.startPrank(exporter);
        registry.revoke(digest);
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.AlreadyRevoked.selector, digest));
        registry.revoke(digest);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ recordAccess

    function test_RecordAccess() public {
        bytes32 digest = _grant(_auth());
        vm.warp(VALID_FROM);
        bytes32 accessId = keccak256("access-1");

        vm.expectEmit(address(registry));
        emit IAuthorizationRegistry.AccessRecorded(digest, bank, accessId, BASIC, uint64(block.timestamp));
        vm.prank(bank);
        registry.recordAccess(digest, accessId, BASIC, uint64(block.timestamp));

        vm.prank(bank);
        registry.recordAccess(digest, keccak256("access-2"), BASIC | TRANSACTION_CREDIT, uint64(block.timestamp));

        (,,,,,, uint256 accessCount) = registry.authorization(digest);
        assertEq(accessCount, 2);
        assertTrue(registry.isAccessRecorded(accessId));
        assertFalse(registry.isAccessRecorded(keccak256("access-3")));
    }

    function test_RecordAccess_UntilJustBeforeExpiry() public {
        bytes32 digest = _grant(_auth());
        vm.warp(EXPIRES_AT - 1);
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("last-second"), BASIC, uint64(block.timestamp));
    }

    function test_RevertWhen_RecordAccessUnknown() public {
        bytes32 digest = keccak256("unknown");
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.UnknownAuthorization.selector, digest));
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("a"), BASIC, uint64(block.timestamp));
    }

    function test_RevertWhen_RecordAccessByNonGrantee() public {
        bytes32 digest = _grant(_auth());
        vm.warp(VALID_FROM);
        address[3] memory notGrantees = [otherBank, exporter, stranger];
        for (uint256 i = 0; i < notGrantees.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IAuthorizationRegistry.NotGrantee.selector, digest, notGrantees[i])
            );
            vm.prank(notGrantees[i]);
            registry.recordAccess(digest, keccak256("a"), BASIC, uint64(block.timestamp));
        }
    }

    function test_RevertWhen_RecordAccessRevoked() public {
        bytes32 digest = _grant(_auth());
        vm.warp(VALID_FROM);
        vm.prank(exporter);
        registry.revoke(digest);
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.AuthorizationIsRevoked.selector, digest));
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("a"), BASIC, uint64(block.timestamp));
    }

    function test_RevertWhen_RecordAccessNotYetValid() public {
        bytes32 digest = _grant(_auth());
        vm.warp(VALID_FROM - 1);
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.AuthorizationNotYetValid.selector, digest));
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("a"), BASIC, uint64(block.timestamp));
    }

    function test_RevertWhen_RecordAccessExpired() public {
        bytes32 digest = _grant(_auth());
        vm.warp(VALID_FROM);
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("a"), BASIC, uint64(block.timestamp));

        vm.warp(EXPIRES_AT);
        assertFalse(registry.isActive(digest));
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.AuthorizationHasExpired.selector, digest));
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("b"), BASIC, uint64(block.timestamp));
    }

    function test_RecordAccess_MadeBeforeExpiry_RecordedAfterIt() public {
        bytes32 digest = _grant(_auth());
        // Served in the grant's last second, recorded a day later (the chain was down meanwhile).
        vm.warp(EXPIRES_AT + 1 days);
        assertFalse(registry.isActive(digest));
        vm.expectEmit(address(registry));
        emit IAuthorizationRegistry.AccessRecorded(digest, bank, keccak256("late"), BASIC, EXPIRES_AT - 1);
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("late"), BASIC, EXPIRES_AT - 1);
        assertTrue(registry.isAccessRecorded(keccak256("late")));

        // Made at the expiry instant itself: refused, however it is recorded.
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.AuthorizationHasExpired.selector, digest));
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("at-expiry"), BASIC, EXPIRES_AT);
    }

    function test_RevertWhen_RecordAccessMadeBeforeValidity() public {
        bytes32 digest = _grant(_auth());
        vm.warp(VALID_FROM + 1 days); // the grant is live now, but the access claims an earlier time
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.AuthorizationNotYetValid.selector, digest));
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("a"), BASIC, VALID_FROM - 1);
    }

    function test_RecordAccess_ClockTolerance() public {
        bytes32 digest = _grant(_auth());
        vm.warp(VALID_FROM);
        uint64 tolerance = registry.CLOCK_TOLERANCE();
        assertEq(tolerance, 300);
        // The platform's clock ahead of the node's by the tolerance: accepted.
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("ahead"), BASIC, VALID_FROM + tolerance);
        // A second more: refused, whatever the grant says.
        vm.expectRevert(
            abi.encodeWithSelector(
                IAuthorizationRegistry.AccessTimeInFuture.selector, keccak256("too-far"), VALID_FROM + tolerance + 1
            )
        );
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("too-far"), BASIC, VALID_FROM + tolerance + 1);
    }

    function testFuzz_RecordAccess_StatedTime(uint64 blockTime, uint64 accessedAt) public {
        blockTime = uint64(bound(blockTime, 1, type(uint64).max - 1));
        bytes32 digest = _grant(_auth());
        vm.warp(blockTime);

        if (uint256(accessedAt) > uint256(blockTime) + 300) {
            vm.expectRevert(
                abi.encodeWithSelector(IAuthorizationRegistry.AccessTimeInFuture.selector, keccak256("a"), accessedAt)
            );
        } else if (accessedAt < VALID_FROM) {
            vm.expectRevert(
                abi.encodeWithSelector(IAuthorizationRegistry.AuthorizationNotYetValid.selector, digest)
            );
        } else if (accessedAt >= EXPIRES_AT) {
            vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.AuthorizationHasExpired.selector, digest));
        }
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("a"), BASIC, accessedAt);
        assertEq(
            registry.isAccessRecorded(keccak256("a")),
            uint256(accessedAt) <= uint256(blockTime) + 300 && accessedAt >= VALID_FROM && accessedAt < EXPIRES_AT
        );
    }

    function test_RevertWhen_RecordAccessScopeNotAuthorized() public {
        bytes32 digest = _grant(_auth()); // scopes 1 | 2
        vm.warp(VALID_FROM);
        uint8[4] memory bad = [uint8(0), REGULATORY_CREDIT, 7, 8];
        for (uint256 i = 0; i < bad.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAuthorizationRegistry.ScopeNotAuthorized.selector, digest, bad[i], BASIC | TRANSACTION_CREDIT
                )
            );
            vm.prank(bank);
            registry.recordAccess(digest, keccak256("a"), bad[i], uint64(block.timestamp));
        }
    }

    function test_RevertWhen_AccessAlreadyRecorded() public {
        bytes32 digest = _grant(_auth());
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        a.authorizationId = keccak256("second");
        bytes32 secondDigest = _grant(a);
        vm.warp(VALID_FROM);
        bytes32 accessId = keccak256("a");
        vm.prank(bank);
        registry.recordAccess(digest, accessId, BASIC, uint64(block.timestamp));

        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.AccessAlreadyRecorded.selector, accessId));
        vm.prank(bank);
        registry.recordAccess(digest, accessId, BASIC, uint64(block.timestamp));
        vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.AccessAlreadyRecorded.selector, accessId));
        vm.prank(bank);
        registry.recordAccess(secondDigest, accessId, BASIC, uint64(block.timestamp));
    }

    // ------------------------------------------------------------------ isActive

    function test_IsActive_Timeline() public {
        bytes32 digest = _grant(_auth());
        assertFalse(registry.isActive(digest), "before validFrom");
        vm.warp(VALID_FROM);
        assertTrue(registry.isActive(digest), "at validFrom");
        vm.warp(EXPIRES_AT - 1);
        assertTrue(registry.isActive(digest), "just before expiry");
        vm.warp(EXPIRES_AT);
        assertFalse(registry.isActive(digest), "at expiry");
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_RecordAccess_Scopes(uint8 granted, uint8 requested) public {
        granted = uint8(bound(granted, 1, 7));
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        a.scopes = granted;
        bytes32 digest = _grant(a);
        vm.warp(VALID_FROM);

        if (requested == 0 || requested & ~granted != 0) {
            vm.expectRevert(
                abi.encodeWithSelector(IAuthorizationRegistry.ScopeNotAuthorized.selector, digest, requested, granted)
            );
        } else {
            vm.expectEmit(address(registry));
            emit IAuthorizationRegistry.AccessRecorded(digest, bank, keccak256("a"), requested, uint64(block.timestamp));
        }
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("a"), requested, uint64(block.timestamp));
    }

    function testFuzz_Grant_Scopes(uint8 scopes) public {
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        a.scopes = scopes;
        bytes memory signature = _sign(exporterKey, a);
        if (scopes == 0 || scopes > 7) {
            vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.InvalidScopes.selector, scopes));
        }
        registry.grant(a, signature);
    }

    function testFuzz_RecordAccess_TimeWindow(uint64 validFrom, uint64 duration, uint64 at) public {
        validFrom = uint64(bound(validFrom, 1, type(uint64).max - 1));
        duration = uint64(bound(duration, 1, type(uint64).max - validFrom));
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        a.validFrom = validFrom;
        a.expiresAt = validFrom + duration;
        bytes32 digest = _grant(a);
        vm.warp(at);

        if (at < a.validFrom) {
            vm.expectRevert(
                abi.encodeWithSelector(IAuthorizationRegistry.AuthorizationNotYetValid.selector, digest)
            );
        } else if (at >= a.expiresAt) {
            vm.expectRevert(abi.encodeWithSelector(IAuthorizationRegistry.AuthorizationHasExpired.selector, digest));
        }
        vm.prank(bank);
        registry.recordAccess(digest, keccak256("a"), BASIC, uint64(block.timestamp));
        assertEq(registry.isActive(digest), at >= a.validFrom && at < a.expiresAt);
    }

    function testFuzz_RevertWhen_SignedByAnyOtherKey(uint256 key) public {
        key = bound(key, 1, SECP256K1_N - 1);
        vm.assume(key != exporterKey);
        IAuthorizationRegistry.CreditAuthorization memory a = _auth();
        bytes memory signature = _sign(key, a);
        vm.expectRevert(IAuthorizationRegistry.InvalidSignature.selector);
        registry.grant(a, signature);
    }
}
