// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {MemberRegistry} from "../src/MemberRegistry.sol";
import {IMemberRegistry} from "../src/interfaces/IMemberRegistry.sol";
import {Test} from "./utils/Test.sol";

contract MemberRegistryTest is Test {
    MemberRegistry internal registry;

    address internal admin = makeAddr("admin");
    address internal exporter = makeAddr("exporter");
    address internal bank = makeAddr("bank");
    address internal stranger = makeAddr("stranger");

    bytes32 internal constant ORG = keccak256("org-1");

    bytes32 internal constant EXPORTER_ROLE = keccak256("EXPORTER_ROLE");
    bytes32 internal constant BANK_ROLE = keccak256("BANK_ROLE");
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 internal constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    function setUp() public {
        registry = new MemberRegistry(admin);
    }

    function _memberRole(uint256 index) internal pure returns (bytes32) {
        bytes32[4] memory roles = [EXPORTER_ROLE, BANK_ROLE, REGULATOR_ROLE, OPERATOR_ROLE];
        return roles[index % 4];
    }

    // ------------------------------------------------------------------ constructor and constants

    function test_RoleConstants() public view {
        assertEq(registry.REGISTRAR_ROLE(), REGISTRAR_ROLE);
        assertEq(registry.EXPORTER_ROLE(), EXPORTER_ROLE);
        assertEq(registry.BANK_ROLE(), BANK_ROLE);
        assertEq(registry.REGULATOR_ROLE(), REGULATOR_ROLE);
        assertEq(registry.OPERATOR_ROLE(), OPERATOR_ROLE);
    }

    function test_Constructor_GrantsAdminAndRegistrarRoles() public view {
        assertTrue(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), admin));
        assertTrue(registry.hasRole(REGISTRAR_ROLE, admin));
        assertFalse(registry.hasRole(REGISTRAR_ROLE, stranger));
    }

    function test_RevertWhen_ConstructorAdminIsZero() public {
        vm.expectRevert(IMemberRegistry.ZeroAddress.selector);
        new MemberRegistry(address(0));
    }

    // ------------------------------------------------------------------ registerMember

    function test_RegisterMember() public {
        vm.expectEmit(address(registry));
        emit IMemberRegistry.MemberRegistered(exporter, EXPORTER_ROLE, ORG);
        vm.prank(admin);
        registry.registerMember(exporter, EXPORTER_ROLE, ORG);

        (bytes32 role, bytes32 orgId) = registry.memberOf(exporter);
        assertEq(role, EXPORTER_ROLE);
        assertEq(orgId, ORG);
        assertTrue(registry.isMember(exporter, EXPORTER_ROLE));
        assertFalse(registry.isMember(exporter, BANK_ROLE));
        assertTrue(registry.hasRole(EXPORTER_ROLE, exporter));
    }

    function test_RegisterMember_EveryMemberRole() public {
        for (uint256 i = 0; i < 4; ++i) {
            address account = address(uint160(0x1000 + i));
            bytes32 role = _memberRole(i);
            vm.prank(admin);
            registry.registerMember(account, role, bytes32(i));
            assertTrue(registry.isMember(account, role));
        }
    }

    function test_RegisterMember_EmitsRoleGranted() public {
        vm.expectEmit(address(registry));
        emit IAccessControl.RoleGranted(BANK_ROLE, bank, admin);
        vm.prank(admin);
        registry.registerMember(bank, BANK_ROLE, ORG);
    }

    function test_RegisterMember_ByGrantedRegistrar() public {
        vm.prank(admin);
        registry.grantRole(REGISTRAR_ROLE, stranger);
        vm.prank(stranger);
        registry.registerMember(bank, BANK_ROLE, ORG);
        assertTrue(registry.isMember(bank, BANK_ROLE));
    }

    function test_RevertWhen_CallerIsNotRegistrar() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, REGISTRAR_ROLE)
        );
        vm.prank(stranger);
        registry.registerMember(bank, BANK_ROLE, ORG);
    }

    function test_RevertWhen_RoleIsNotAMemberRole() public {
        bytes32[3] memory bad = [REGISTRAR_ROLE, registry.DEFAULT_ADMIN_ROLE(), keccak256("ANCHORER_ROLE")];
        for (uint256 i = 0; i < bad.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IMemberRegistry.UnknownRole.selector, bad[i]));
            vm.prank(admin);
            registry.registerMember(bank, bad[i], ORG);
        }
    }

    function test_RevertWhen_AccountIsZero() public {
        vm.expectRevert(IMemberRegistry.ZeroAddress.selector);
        vm.prank(admin);
        registry.registerMember(address(0), BANK_ROLE, ORG);
    }

    function test_RevertWhen_AlreadyRegistered() public {
        vm.startPrank(admin);
        registry.registerMember(bank, BANK_ROLE, ORG);
        vm.expectRevert(abi.encodeWithSelector(IMemberRegistry.AlreadyRegistered.selector, bank));
        registry.registerMember(bank, BANK_ROLE, ORG);
        vm.expectRevert(abi.encodeWithSelector(IMemberRegistry.AlreadyRegistered.selector, bank));
        registry.registerMember(bank, REGULATOR_ROLE, keccak256("other-org"));
        vm.stopPrank();
    }

    function test_RevertWhen_AlreadyRegistered_EvenAfterRoleRevoked() public {
        vm.startPrank(admin);
        registry.registerMember(bank, BANK_ROLE, ORG);
        registry.revokeRole(BANK_ROLE, bank);
        vm.expectRevert(abi.encodeWithSelector(IMemberRegistry.AlreadyRegistered.selector, bank));
        registry.registerMember(bank, BANK_ROLE, ORG);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ views

    function test_MemberOf_UnknownAccountIsZero() public view {
        (bytes32 role, bytes32 orgId) = registry.memberOf(stranger);
        assertEq(role, bytes32(0));
        assertEq(orgId, bytes32(0));
        assertFalse(registry.isMember(stranger, BANK_ROLE));
    }

    function test_IsMember_FollowsRoleRevocation() public {
        vm.startPrank(admin);
        registry.registerMember(bank, BANK_ROLE, ORG);
        registry.revokeRole(BANK_ROLE, bank);
        vm.stopPrank();

        assertFalse(registry.isMember(bank, BANK_ROLE));
        (bytes32 role, bytes32 orgId) = registry.memberOf(bank);
        assertEq(role, BANK_ROLE, "registration record is kept");
        assertEq(orgId, ORG);
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_RegisterMember(address account, uint8 roleIndex, bytes32 orgId) public {
        vm.assume(account != address(0));
        bytes32 role = _memberRole(roleIndex);

        vm.expectEmit(address(registry));
        emit IMemberRegistry.MemberRegistered(account, role, orgId);
        vm.prank(admin);
        registry.registerMember(account, role, orgId);

        (bytes32 storedRole, bytes32 storedOrg) = registry.memberOf(account);
        assertEq(storedRole, role);
        assertEq(storedOrg, orgId);
        for (uint256 i = 0; i < 4; ++i) {
            assertEq(registry.isMember(account, _memberRole(i)), _memberRole(i) == role);
        }
    }

    function testFuzz_RevertWhen_UnknownRole(bytes32 role) public {
        vm.assume(role != EXPORTER_ROLE && role != BANK_ROLE && role != REGULATOR_ROLE && role != OPERATOR_ROLE);
        vm.expectRevert(abi.encodeWithSelector(IMemberRegistry.UnknownRole.selector, role));
        vm.prank(admin);
        registry.registerMember(bank, role, ORG);
    }
}
