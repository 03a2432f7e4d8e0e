// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AuthorizationRegistry} from "../../src/AuthorizationRegistry.sol";
import {MemberRegistry} from "../../src/MemberRegistry.sol";
import {Test} from "../utils/Test.sol";
import {AuthorizationHandler} from "./handlers/AuthorizationHandler.sol";

contract AuthorizationRegistryInvariantTest is Test {
    MemberRegistry internal members;
    AuthorizationRegistry internal registry;
    AuthorizationHandler internal handler;

    function setUp() public {
        vm.warp(1_750_000_000);
        address admin = makeAddr("admin");
        members = new MemberRegistry(admin);
        registry = new AuthorizationRegistry(address(members));

        uint256[] memory exporterKeys = new uint256[](2);
        exporterKeys[0] = makeKey("exporter0");
        exporterKeys[1] = makeKey("exporter1");
        address[] memory banks = new address[](2);
        banks[0] = makeAddr("bank0");
        banks[1] = makeAddr("bank1");
        address intruder = makeAddr("intruder");

        vm.startPrank(admin);
        members.registerMember(vm.addr(exporterKeys[0]), members.EXPORTER_ROLE(), "e0");
        members.registerMember(vm.addr(exporterKeys[1]), members.EXPORTER_ROLE(), "e1");
        members.registerMember(banks[0], members.BANK_ROLE(), "b0");
        members.registerMember(banks[1], members.BANK_ROLE(), "b1");
        vm.stopPrank();

        handler = new AuthorizationHandler(registry, exporterKeys, banks, intruder);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](4);
        selectors[0] = AuthorizationHandler.grant.selector;
        selectors[1] = AuthorizationHandler.revoke.selector;
        selectors[2] = AuthorizationHandler.warp.selector;
        selectors[3] = AuthorizationHandler.recordAccess.selector;
        targetSelector(address(handler), selectors);
    }

    /// No access is ever recorded under a revoked, not-yet-valid or expired grant (or beyond its scopes,
    /// or by anyone but its bank).
    function invariant_NoAccessUnderRevokedOrExpiredGrant() public view {
        assertEq(handler.ghostAccessesUnderInvalidGrant(), 0, "access under an invalid grant");
        assertEq(handler.ghostUnexpectedOutcomes(), 0, "outcome differs from the model");
    }

    /// The stored grants match the model: same parties, window, revocation flag and access count.
    function invariant_GrantsMatchModel() public view {
        bytes32[] memory digests = handler.digests();
        for (uint256 i = 0; i < digests.length; ++i) {
            AuthorizationHandler.GhostGrant memory g = handler.ghostGrant(digests[i]);
            (
                address exporter,
                address bank,
                uint8 scopes,
                uint64 validFrom,
                uint64 expiresAt,
                bool revoked,
                uint256 accessCount
            ) = registry.authorization(digests[i]);
            assertEq(exporter, g.exporter);
            assertEq(bank, g.bank);
            assertEq(scopes, g.scopes);
            assertEq(validFrom, g.validFrom);
            assertEq(expiresAt, g.expiresAt);
            assertEq(revoked, g.revoked);
            assertEq(accessCount, g.accessCount, "access count");
            bool live = !g.revoked && block.timestamp >= g.validFrom && block.timestamp < g.expiresAt;
            assertEq(registry.isActive(digests[i]), live, "isActive");
        }
    }
}
