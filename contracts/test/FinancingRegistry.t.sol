// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {FinancingRegistry} from "../src/FinancingRegistry.sol";
import {MemberRegistry} from "../src/MemberRegistry.sol";
import {IFinancingRegistry} from "../src/interfaces/IFinancingRegistry.sol";
import {Test} from "./utils/Test.sol";

contract FinancingRegistryTest is Test {
    MemberRegistry internal members;
    FinancingRegistry internal registry;

    address internal admin = makeAddr("admin");
    address internal bankA = makeAddr("bankA");
    address internal bankB = makeAddr("bankB");
    address internal exporter = makeAddr("exporter");
    address internal stranger = makeAddr("stranger");

    bytes32 internal constant DECL_1 = keccak256("declaration-1");
    bytes32 internal constant DECL_2 = keccak256("declaration-2");
    bytes32 internal constant DECL_3 = keccak256("declaration-3");
    bytes32 internal constant FIN_1 = bytes32(uint256(0x1111));
    bytes32 internal constant FIN_2 = bytes32(uint256(0x2222));

    uint8 internal constant NONE = 0;
    uint8 internal constant ACTIVE = 1;
    uint8 internal constant DISBURSED = 2;
    uint8 internal constant CLOSED = 3;

    function setUp() public {
        members = new MemberRegistry(admin);
        registry = new FinancingRegistry(address(members), admin);
        vm.startPrank(admin);
        members.registerMember(bankA, members.BANK_ROLE(), keccak256("bank-a"));
        members.registerMember(bankB, members.BANK_ROLE(), keccak256("bank-b"));
        members.registerMember(exporter, members.EXPORTER_ROLE(), keccak256("exporter"));
        registry.registerDeclaration(DECL_1, 100_000);
        registry.registerDeclaration(DECL_2, 50_000);
        registry.registerDeclaration(DECL_3, 1);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ helpers

    function _one(bytes32 a) internal pure returns (bytes32[] memory arr) {
        arr = new bytes32[](1);
        arr[0] = a;
    }

    function _two(bytes32 a, bytes32 b) internal pure returns (bytes32[] memory arr) {
        arr = new bytes32[](2);
        arr[0] = a;
        arr[1] = b;
    }

    function _one(uint256 a) internal pure returns (uint256[] memory arr) {
        arr = new uint256[](1);
        arr[0] = a;
    }

    function _two(uint256 a, uint256 b) internal pure returns (uint256[] memory arr) {
        arr = new uint256[](2);
        arr[0] = a;
        arr[1] = b;
    }

    function _finance(address bank, bytes32 id, bytes32 decl, uint256 amount) internal {
        vm.prank(bank);
        registry.recordFinancing(id, _one(decl), _one(amount));
    }

    function _outstanding(bytes32 decl) internal view returns (uint256 outstanding) {
        (, outstanding,) = registry.declaration(decl);
    }

    function _status(bytes32 id) internal view returns (uint8 status) {
        (,,, status) = registry.financing(id);
    }

    // ------------------------------------------------------------------ constructor

    function test_Constructor() public view {
        assertTrue(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), admin));
        assertTrue(registry.hasRole(registry.REGISTRAR_ROLE(), admin));
        assertEq(registry.REGISTRAR_ROLE(), keccak256("REGISTRAR_ROLE"));
        assertEq(registry.memberRegistry(), address(members));
    }

    function test_RevertWhen_ConstructorArgumentIsZero() public {
        vm.expectRevert(IFinancingRegistry.ZeroAddress.selector);
        new FinancingRegistry(address(0), admin);
        vm.expectRevert(IFinancingRegistry.ZeroAddress.selector);
        new FinancingRegistry(address(members), address(0));
    }

    // ------------------------------------------------------------------ registerDeclaration

    function test_RegisterDeclaration() public {
        bytes32 fp = keccak256("new");
        vm.expectEmit(address(registry));
        emit IFinancingRegistry.DeclarationRegistered(fp, 12_345);
        vm.prank(admin);
        registry.registerDeclaration(fp, 12_345);

        (uint256 faceValue, uint256 outstanding, bool registered) = registry.declaration(fp);
        assertEq(faceValue, 12_345);
        assertEq(outstanding, 0);
        assertTrue(registered);
    }

    function test_Declaration_UnknownIsZero() public view {
        (uint256 faceValue, uint256 outstanding, bool registered) = registry.declaration(keccak256("nope"));
        assertEq(faceValue, 0);
        assertEq(outstanding, 0);
        assertFalse(registered);
    }

    function test_RevertWhen_RegisterDeclarationCallerIsNotRegistrar() public {
        bytes32 role = registry.REGISTRAR_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bankA, role));
        vm.prank(bankA);
        registry.registerDeclaration(keccak256("new"), 1);
    }

    function test_RevertWhen_DeclarationAlreadyRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.DeclarationAlreadyRegistered.selector, DECL_1));
        vm.prank(admin);
        registry.registerDeclaration(DECL_1, 1);
    }

    function test_RevertWhen_DeclarationFaceValueIsZero() public {
        vm.expectRevert(IFinancingRegistry.ZeroAmount.selector);
        vm.prank(admin);
        registry.registerDeclaration(keccak256("new"), 0);
    }

    // ------------------------------------------------------------------ recordFinancing

    function test_RecordFinancing() public {
        vm.expectEmit(address(registry));
        emit IFinancingRegistry.DeclarationEncumbered(DECL_1, FIN_1, 60_000, 60_000);
        vm.expectEmit(address(registry));
        emit IFinancingRegistry.DeclarationEncumbered(DECL_2, FIN_1, 50_000, 50_000);
        vm.expectEmit(address(registry));
        emit IFinancingRegistry.FinancingRecorded(FIN_1, bankA, 110_000);
        vm.prank(bankA);
        registry.recordFinancing(FIN_1, _two(DECL_1, DECL_2), _two(60_000, 50_000));

        (address bank, uint256 total, uint256 repaid, uint8 status) = registry.financing(FIN_1);
        assertEq(bank, bankA);
        assertEq(total, 110_000);
        assertEq(repaid, 0);
        assertEq(status, ACTIVE);
        assertEq(_outstanding(DECL_1), 60_000);
        assertEq(_outstanding(DECL_2), 50_000);

        (bytes32[] memory decls, uint256[] memory amounts) = registry.financingDeclarations(FIN_1);
        assertEq(decls, _two(DECL_1, DECL_2));
        assertEq(amounts, _two(60_000, 50_000));
    }

    function test_RecordFinancing_AcrossBanksUpToFaceValue() public {
        _finance(bankA, FIN_1, DECL_1, 60_000);
        vm.expectEmit(address(registry));
        emit IFinancingRegistry.DeclarationEncumbered(DECL_1, FIN_2, 40_000, 100_000);
        _finance(bankB, FIN_2, DECL_1, 40_000);
        assertEq(_outstanding(DECL_1), 100_000);
    }

    function test_RecordFinancing_SameDeclarationTwiceIsCumulative() public {
        vm.prank(bankA);
        registry.recordFinancing(FIN_1, _two(DECL_1, DECL_1), _two(30_000, 70_000));
        assertEq(_outstanding(DECL_1), 100_000);

        vm.expectRevert(
            abi.encodeWithSelector(IFinancingRegistry.ExceedsFaceValue.selector, DECL_2, 30_001, 20_000)
        );
        vm.prank(bankA);
        registry.recordFinancing(FIN_2, _two(DECL_2, DECL_2), _two(30_000, 30_001));
    }

    function test_RecordFinancing_UnknownFinancingViews() public view {
        (address bank, uint256 total, uint256 repaid, uint8 status) = registry.financing(FIN_1);
        assertEq(bank, address(0));
        assertEq(total + repaid, 0);
        assertEq(status, NONE);
        (bytes32[] memory decls, uint256[] memory amounts) = registry.financingDeclarations(FIN_1);
        assertEq(decls.length + amounts.length, 0);
    }

    function test_RevertWhen_RecordFinancingCallerIsNotBank() public {
        address[2] memory notBanks = [stranger, exporter];
        for (uint256 i = 0; i < 2; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.NotBank.selector, notBanks[i]));
            vm.prank(notBanks[i]);
            registry.recordFinancing(FIN_1, _one(DECL_1), _one(1));
        }
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.NotBank.selector, admin));
        vm.prank(admin);
        registry.recordFinancing(FIN_1, _one(DECL_1), _one(1));
    }

    function test_RevertWhen_RecordFinancingBankRoleWasRevoked() public {
        bytes32 bankRole = members.BANK_ROLE();
        vm.prank(admin);
        members.revokeRole(bankRole, bankA);
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.NotBank.selector, bankA));
        _finance(bankA, FIN_1, DECL_1, 1);
    }

    function test_RevertWhen_FinancingAlreadyRecorded() public {
        _finance(bankA, FIN_1, DECL_1, 1);
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.FinancingAlreadyRecorded.selector, FIN_1));
        _finance(bankB, FIN_1, DECL_2, 1);
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.FinancingAlreadyRecorded.selector, FIN_1));
        _finance(bankA, FIN_1, DECL_1, 1);
    }

    function test_RevertWhen_FinancingIdReusedAfterClose() public {
        _finance(bankA, FIN_1, DECL_1, 1);
        vm.prank(bankA);
        registry.closeFinancing(FIN_1, 4);
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.FinancingAlreadyRecorded.selector, FIN_1));
        _finance(bankA, FIN_1, DECL_1, 1);
    }

    function test_RevertWhen_LengthMismatch() public {
        vm.expectRevert(IFinancingRegistry.LengthMismatch.selector);
        vm.prank(bankA);
        registry.recordFinancing(FIN_1, _two(DECL_1, DECL_2), _one(1));
        vm.expectRevert(IFinancingRegistry.LengthMismatch.selector);
        vm.prank(bankA);
        registry.recordFinancing(FIN_1, _one(DECL_1), new uint256[](0));
    }

    function test_RevertWhen_EmptyFinancing() public {
        vm.expectRevert(IFinancingRegistry.EmptyFinancing.selector);
        vm.prank(bankA);
        registry.recordFinancing(FIN_1, new bytes32[](0), new uint256[](0));
    }

    function test_RevertWhen_FinancedAmountIsZero() public {
        vm.expectRevert(IFinancingRegistry.ZeroAmount.selector);
        vm.prank(bankA);
        registry.recordFinancing(FIN_1, _two(DECL_1, DECL_2), _two(1, 0));
    }

    function test_RevertWhen_UnknownDeclaration() public {
        bytes32 unknown = keccak256("unknown");
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.UnknownDeclaration.selector, unknown));
        vm.prank(bankA);
        registry.recordFinancing(FIN_1, _two(DECL_1, unknown), _two(1, 1));
    }

    function test_RevertWhen_ExceedsFaceValue() public {
        _finance(bankA, FIN_1, DECL_1, 60_000);
        vm.expectRevert(
            abi.encodeWithSelector(IFinancingRegistry.ExceedsFaceValue.selector, DECL_1, 40_001, 40_000)
        );
        _finance(bankB, FIN_2, DECL_1, 40_001);
    }

    function test_RevertWhen_ExceedsFaceValue_HugeAmountDoesNotOverflow() public {
        _finance(bankA, FIN_1, DECL_1, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFinancingRegistry.ExceedsFaceValue.selector, DECL_1, type(uint256).max, 99_999
            )
        );
        _finance(bankB, FIN_2, DECL_1, type(uint256).max);
    }

    function test_RevertWhen_ExceedsFaceValue_LeavesEarlierDeclarationsUntouched() public {
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.ExceedsFaceValue.selector, DECL_3, 2, 1));
        vm.prank(bankA);
        registry.recordFinancing(FIN_1, _two(DECL_1, DECL_3), _two(100_000, 2));
        assertEq(_outstanding(DECL_1), 0);
        assertEq(_status(FIN_1), NONE);
    }

    // ------------------------------------------------------------------ recordDisbursement

    function test_RecordDisbursement() public {
        _finance(bankA, FIN_1, DECL_1, 10);
        vm.expectEmit(address(registry));
        emit IFinancingRegistry.FinancingDisbursed(FIN_1);
        vm.prank(bankA);
        registry.recordDisbursement(FIN_1);
        assertEq(_status(FIN_1), DISBURSED);
        assertEq(_outstanding(DECL_1), 10, "disbursement keeps the encumbrance");
    }

    function test_RevertWhen_DisbursementByOtherBank() public {
        _finance(bankA, FIN_1, DECL_1, 10);
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.NotFinancingBank.selector, FIN_1, bankB));
        vm.prank(bankB);
        registry.recordDisbursement(FIN_1);
    }

    function test_RevertWhen_DisbursementOfUnknownFinancing() public {
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.NotFinancingBank.selector, FIN_2, bankA));
        vm.prank(bankA);
        registry.recordDisbursement(FIN_2);
    }

    function test_RevertWhen_DisbursementNotActive() public {
        _finance(bankA, FIN_1, DECL_1, 10);
        vm.startPrank(bankA);
        registry.recordDisbursement(FIN_1);
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.InvalidStatus.selector, FIN_1, DISBURSED));
        registry.recordDisbursement(FIN_1);
        registry.closeFinancing(FIN_1, 1);
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.InvalidStatus.selector, FIN_1, CLOSED));
        registry.recordDisbursement(FIN_1);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ recordRepayment

    function test_RecordRepayment() public {
        _finance(bankA, FIN_1, DECL_1, 1_000);
        vm.startPrank(bankA);
        vm.expectEmit(address(registry));
        emit IFinancingRegistry.FinancingRepaid(FIN_1, 400, 400);
        registry.recordRepayment(FIN_1, 400);

        registry.recordDisbursement(FIN_1);
        vm.expectEmit(address(registry));
        emit IFinancingRegistry.FinancingRepaid(FIN_1, 600, 1_000);
        registry.recordRepayment(FIN_1, 600);
        vm.stopPrank();

        (, uint256 total, uint256 repaid, uint8 status) = registry.financing(FIN_1);
        assertEq(total, 1_000);
        assertEq(repaid, 1_000);
        assertEq(status, DISBURSED, "repayment does not close");
        assertEq(_outstanding(DECL_1), 1_000, "repayment does not release");
    }

    function test_RevertWhen_RepaymentByOtherBank() public {
        _finance(bankA, FIN_1, DECL_1, 1_000);
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.NotFinancingBank.selector, FIN_1, stranger));
        vm.prank(stranger);
        registry.recordRepayment(FIN_1, 1);
    }

    function test_RevertWhen_RepaymentAfterClose() public {
        _finance(bankA, FIN_1, DECL_1, 1_000);
        vm.startPrank(bankA);
        registry.closeFinancing(FIN_1, 2);
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.InvalidStatus.selector, FIN_1, CLOSED));
        registry.recordRepayment(FIN_1, 1);
        vm.stopPrank();
    }

    function test_RevertWhen_RepaymentIsZero() public {
        _finance(bankA, FIN_1, DECL_1, 1_000);
        vm.expectRevert(IFinancingRegistry.ZeroAmount.selector);
        vm.prank(bankA);
        registry.recordRepayment(FIN_1, 0);
    }

    function test_RevertWhen_RepaymentExceedsTotal() public {
        _finance(bankA, FIN_1, DECL_1, 1_000);
        vm.startPrank(bankA);
        registry.recordRepayment(FIN_1, 700);
        vm.expectRevert(
            abi.encodeWithSelector(IFinancingRegistry.RepaymentExceedsTotal.selector, FIN_1, 301, 300)
        );
        registry.recordRepayment(FIN_1, 301);
        vm.expectRevert(
            abi.encodeWithSelector(IFinancingRegistry.RepaymentExceedsTotal.selector, FIN_1, type(uint256).max, 300)
        );
        registry.recordRepayment(FIN_1, type(uint256).max);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ closeFinancing

    function test_CloseFinancing() public {
        _finance(bankB, FIN_2, DECL_1, 5_000);
        vm.prank(bankA);
        registry.recordFinancing(FIN_1, _two(DECL_1, DECL_2), _two(60_000, 50_000));

        vm.expectEmit(address(registry));
        emit IFinancingRegistry.DeclarationReleased(DECL_1, FIN_1, 60_000, 5_000);
        vm.expectEmit(address(registry));
        emit IFinancingRegistry.DeclarationReleased(DECL_2, FIN_1, 50_000, 0);
        vm.expectEmit(address(registry));
        emit IFinancingRegistry.FinancingClosed(FIN_1, 3);
        vm.prank(bankA);
        registry.closeFinancing(FIN_1, 3);

        assertEq(_status(FIN_1), CLOSED);
        assertEq(_outstanding(DECL_1), 5_000);
        assertEq(_outstanding(DECL_2), 0);
        (bytes32[] memory decls,) = registry.financingDeclarations(FIN_1);
        assertEq(decls.length, 2, "history is kept");
    }

    function test_CloseFinancing_FreesCapacityForAnotherBank() public {
        _finance(bankA, FIN_1, DECL_2, 50_000);
        vm.prank(bankA);
        registry.closeFinancing(FIN_1, 2);
        _finance(bankB, FIN_2, DECL_2, 50_000);
        assertEq(_outstanding(DECL_2), 50_000);
    }

    function test_CloseFinancing_AfterDisbursement() public {
        _finance(bankA, FIN_1, DECL_1, 7);
        vm.startPrank(bankA);
        registry.recordDisbursement(FIN_1);
        registry.recordRepayment(FIN_1, 7);
        registry.closeFinancing(FIN_1, 1);
        vm.stopPrank();
        assertEq(_status(FIN_1), CLOSED);
        assertEq(_outstanding(DECL_1), 0);
    }

    function test_RevertWhen_CloseByOtherBank() public {
        _finance(bankA, FIN_1, DECL_1, 7);
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.NotFinancingBank.selector, FIN_1, bankB));
        vm.prank(bankB);
        registry.closeFinancing(FIN_1, 1);
    }

    function test_RevertWhen_CloseUnknownFinancing() public {
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.NotFinancingBank.selector, FIN_1, bankA));
        vm.prank(bankA);
        registry.closeFinancing(FIN_1, 1);
    }

    function test_RevertWhen_CloseTwice() public {
        _finance(bankA, FIN_1, DECL_1, 7);
        vm.startPrank(bankA);
        registry.closeFinancing(FIN_1, 4);
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.InvalidStatus.selector, FIN_1, CLOSED));
        registry.closeFinancing(FIN_1, 4);
        vm.stopPrank();
        assertEq(_outstanding(DECL_1), 0, "released once");
    }

    function test_RevertWhen_CloseReasonInvalid() public {
        _finance(bankA, FIN_1, DECL_1, 7);
        uint8[3] memory bad = [uint8(0), 5, 255];
        for (uint256 i = 0; i < bad.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.InvalidReason.selector, bad[i]));
            vm.prank(bankA);
            registry.closeFinancing(FIN_1, bad[i]);
        }
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_RecordFinancing_NeverExceedsFaceValue(uint256 face, uint256 first, uint256 second) public {
        face = bound(face, 1, type(uint128).max);
        first = bound(first, 1, face);
        bytes32 fp = keccak256("fuzz");
        vm.prank(admin);
        registry.registerDeclaration(fp, face);
        _finance(bankA, FIN_1, fp, first);

        uint256 available = face - first;
        if (second == 0) {
            vm.expectRevert(IFinancingRegistry.ZeroAmount.selector);
        } else if (second > available) {
            vm.expectRevert(
                abi.encodeWithSelector(IFinancingRegistry.ExceedsFaceValue.selector, fp, second, available)
            );
        }
        _finance(bankB, FIN_2, fp, second);

        (uint256 faceValue, uint256 outstanding,) = registry.declaration(fp);
        assertLe(outstanding, faceValue);
        assertEq(outstanding, (second != 0 && second <= available) ? first + second : first);
    }

    function testFuzz_Repayments(uint256 total, uint256 firstRepayment, uint256 secondRepayment) public {
        total = bound(total, 1, 100_000);
        firstRepayment = bound(firstRepayment, 1, total);
        _finance(bankA, FIN_1, DECL_1, total);
        vm.startPrank(bankA);
        registry.recordRepayment(FIN_1, firstRepayment);

        uint256 remaining = total - firstRepayment;
        if (secondRepayment == 0) {
            vm.expectRevert(IFinancingRegistry.ZeroAmount.selector);
        } else if (secondRepayment > remaining) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IFinancingRegistry.RepaymentExceedsTotal.selector, FIN_1, secondRepayment, remaining
                )
            );
        }
        registry.recordRepayment(FIN_1, secondRepayment);
        vm.stopPrank();

        (, uint256 storedTotal, uint256 repaid,) = registry.financing(FIN_1);
        assertLe(repaid, storedTotal);
    }

    function testFuzz_CloseFinancing_ValidReasonsReleaseEverything(uint8 reason, uint256 amount) public {
        reason = uint8(bound(reason, 1, 4));
        amount = bound(amount, 1, 50_000);
        vm.prank(bankA);
        registry.recordFinancing(FIN_1, _two(DECL_1, DECL_2), _two(amount, amount));
        vm.expectEmit(address(registry));
        emit IFinancingRegistry.FinancingClosed(FIN_1, reason);
        vm.prank(bankA);
        registry.closeFinancing(FIN_1, reason);
        assertEq(_outstanding(DECL_1), 0);
        assertEq(_outstanding(DECL_2), 0);
    }

    function testFuzz_RevertWhen_CloseReasonOutOfRange(uint8 reason) public {
        vm.assume(reason == 0 || reason > 4);
        _finance(bankA, FIN_1, DECL_1, 1);
        vm.expectRevert(abi.encodeWithSelector(IFinancingRegistry.InvalidReason.selector, reason));
        vm.prank(bankA);
        registry.closeFinancing(FIN_1, reason);
    }
}
