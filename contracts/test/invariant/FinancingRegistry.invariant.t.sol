// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FinancingRegistry} from "../../src/FinancingRegistry.sol";
import {MemberRegistry} from "../../src/MemberRegistry.sol";
import {Test} from "../utils/Test.sol";
import {FinancingHandler} from "./handlers/FinancingHandler.sol";

contract FinancingRegistryInvariantTest is Test {
    MemberRegistry internal members;
    FinancingRegistry internal registry;
    FinancingHandler internal handler;

    function setUp() public {
        address admin = makeAddr("admin");
        members = new MemberRegistry(admin);
        registry = new FinancingRegistry(address(members), admin);

        address[] memory banks = new address[](3);
        address[] memory nonBanks = new address[](3);
        banks[0] = makeAddr("bank0");
        banks[1] = makeAddr("bank1");
        banks[2] = makeAddr("bank2");
        nonBanks[0] = makeAddr("exporter");
        nonBanks[1] = makeAddr("regulator");
        nonBanks[2] = admin; // registrar and admin, but not a bank
        vm.startPrank(admin);
        for (uint256 i = 0; i < banks.length; ++i) {
            members.registerMember(banks[i], members.BANK_ROLE(), bytes32(i));
        }
        members.registerMember(nonBanks[0], members.EXPORTER_ROLE(), "exp");
        members.registerMember(nonBanks[1], members.REGULATOR_ROLE(), "reg");
        vm.stopPrank();

        handler = new FinancingHandler(registry, admin, banks, nonBanks);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = FinancingHandler.registerDeclaration.selector;
        selectors[1] = FinancingHandler.recordFinancing.selector;
        selectors[2] = FinancingHandler.recordFinancingAsNonBank.selector;
        selectors[3] = FinancingHandler.recordDisbursement.selector;
        selectors[4] = FinancingHandler.recordRepayment.selector;
        selectors[5] = FinancingHandler.closeFinancing.selector;
        targetSelector(address(handler), selectors);
    }

    /// Encumbrance never exceeds a declaration's face value.
    function invariant_OutstandingWithinFaceValue() public view {
        bytes32[] memory decls = handler.declarations();
        for (uint256 i = 0; i < decls.length; ++i) {
            (uint256 faceValue, uint256 outstanding, bool registered) = registry.declaration(decls[i]);
            assertTrue(registered);
            assertLe(outstanding, faceValue, "outstanding > face value");
        }
    }

    /// Outstanding equals the sum of the amounts of the declaration's not-closed financings, both as
    /// tracked by the ghost model and as recomputed from the registry's own financing records.
    function invariant_OutstandingEqualsSumOfOpenFinancings() public view {
        bytes32[] memory decls = handler.declarations();
        bytes32[] memory ids = handler.financingIds();
        for (uint256 d = 0; d < decls.length; ++d) {
            uint256 sum = 0;
            for (uint256 f = 0; f < ids.length; ++f) {
                (,,, uint8 status) = registry.financing(ids[f]);
                if (status == 3) continue;
                (bytes32[] memory fds, uint256[] memory amounts) = registry.financingDeclarations(ids[f]);
                for (uint256 k = 0; k < fds.length; ++k) {
                    if (fds[k] == decls[d]) sum += amounts[k];
                }
            }
            (, uint256 outstanding,) = registry.declaration(decls[d]);
            assertEq(outstanding, handler.ghostOutstanding(decls[d]), "outstanding != ghost sum");
            assertEq(outstanding, sum, "outstanding != sum of open financings");
        }
    }

    /// Every financing belongs to the bank that recorded it, and its state matches the model.
    function invariant_FinancingsBelongToTheirBank() public view {
        bytes32[] memory ids = handler.financingIds();
        for (uint256 f = 0; f < ids.length; ++f) {
            (address bank, uint256 total, uint256 repaid, uint8 status) = registry.financing(ids[f]);
            assertEq(bank, handler.ghostBankOf(ids[f]), "bank");
            assertEq(status, handler.ghostStatus(ids[f]), "status");
            assertEq(repaid, handler.ghostRepaid(ids[f]), "repaid");
            assertLe(repaid, total, "repaid > total");
        }
    }

    /// No non-bank ever recorded a financing and no bank ever wrote another bank's financing.
    function invariant_OnlyBanksWriteTheirOwnFinancings() public view {
        assertEq(handler.ghostUnauthorizedSuccesses(), 0, "unauthorized write succeeded");
        assertEq(handler.ghostUnexpectedOutcomes(), 0, "outcome differs from the model");
    }
}
