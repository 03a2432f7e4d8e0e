// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FinancingRegistry} from "../../../src/FinancingRegistry.sol";
import {Test} from "../../utils/Test.sol";

/**
 * @notice Drives {FinancingRegistry} with valid and invalid calls from banks and non-banks, keeping ghost
 * state of what the registry must contain. Calls expected to fail go through try/catch; an unexpected
 * success (or failure) is counted in a ghost counter that the invariants require to stay zero.
 */
contract FinancingHandler is Test {
    FinancingRegistry public immutable registry;
    address public immutable admin;

    address[] internal _banks;
    address[] internal _nonBanks;
    bytes32[] internal _declarations;
    bytes32[] internal _financingIds;

    // ---- ghost state
    mapping(bytes32 financingId => address bank) public ghostBankOf;
    mapping(bytes32 financingId => uint8 status) public ghostStatus;
    mapping(bytes32 financingId => uint256 repaid) public ghostRepaid;
    mapping(bytes32 declaration => uint256 faceValue) public ghostFaceValue;
    /// Sum, per declaration, of the amounts of financings that are not closed.
    mapping(bytes32 declaration => uint256 outstanding) public ghostOutstanding;
    /// Calls by a non-bank, or by a bank on another bank's financing, that succeeded (must stay 0).
    uint256 public ghostUnauthorizedSuccesses;
    /// Calls whose outcome differed from the model (must stay 0).
    uint256 public ghostUnexpectedOutcomes;

    uint256 public callsRecorded;
    uint256 public callsRejected;
    uint256 public callsClosed;

    constructor(
        FinancingRegistry registry_,
        address admin_,
        address[] memory bankAccounts,
        address[] memory nonBankAccounts
    ) {
        registry = registry_;
        admin = admin_;
        _banks = bankAccounts;
        _nonBanks = nonBankAccounts;
        for (uint256 i = 0; i < 4; ++i) {
            _registerDeclaration(keccak256(abi.encode("declaration", i)), (i + 1) * 1_000);
        }
    }

    // ------------------------------------------------------------------ actions

    function registerDeclaration(uint256 seed, uint256 faceValue) external {
        if (_declarations.length >= 8) return;
        _registerDeclaration(keccak256(abi.encode("declaration", seed)), bound(faceValue, 1, 1_000_000));
    }

    function recordFinancing(uint256 bankSeed, uint256 d0, uint256 d1, uint256 a0, uint256 a1, bool pair)
        external
    {
        address bank = _banks[bankSeed % _banks.length];
        uint256 n = pair ? 2 : 1;
        bytes32[] memory decls = new bytes32[](n);
        uint256[] memory amounts = new uint256[](n);
        decls[0] = _declarations[d0 % _declarations.length];
        amounts[0] = bound(a0, 0, ghostFaceValue[decls[0]]);
        if (pair) {
            decls[1] = _declarations[d1 % _declarations.length];
            amounts[1] = bound(a1, 0, ghostFaceValue[decls[1]]);
        }
        bytes32 id = keccak256(abi.encode("financing", _financingIds.length, bankSeed));

        // Model: every amount nonzero and, applied in order, within the remaining face value.
        bool ok = true;
        uint256 extra0 = 0; // what entry 0 adds to entry 1's declaration when both are the same
        for (uint256 i = 0; i < n; ++i) {
            uint256 already = ghostOutstanding[decls[i]] + (i == 1 && decls[1] == decls[0] ? extra0 : 0);
            if (amounts[i] == 0 || already + amounts[i] > ghostFaceValue[decls[i]]) ok = false;
            if (i == 0) extra0 = amounts[0];
        }

        vm.prank(bank);
        try registry.recordFinancing(id, decls, amounts) {
            if (!ok) ++ghostUnexpectedOutcomes;
            _financingIds.push(id);
            ghostBankOf[id] = bank;
            ghostStatus[id] = 1;
            for (uint256 i = 0; i < n; ++i) {
                ghostOutstanding[decls[i]] += amounts[i];
            }
            ++callsRecorded;
        } catch {
            if (ok) ++ghostUnexpectedOutcomes;
            ++callsRejected;
        }
    }

    function recordFinancingAsNonBank(uint256 actorSeed, uint256 d0, uint256 a0) external {
        address actor = _nonBanks[actorSeed % _nonBanks.length];
        bytes32[] memory decls = new bytes32[](1);
        uint256[] memory amounts = new uint256[](1);
        decls[0] = _declarations[d0 % _declarations.length];
        amounts[0] = bound(a0, 1, 10);
        vm.prank(actor);
        try registry.recordFinancing(keccak256(abi.encode("rogue", actorSeed, d0)), decls, amounts) {
            ++ghostUnauthorizedSuccesses;
        } catch {
            ++callsRejected;
        }
    }

    function recordDisbursement(uint256 financingSeed, uint256 callerSeed) external {
        if (_financingIds.length == 0) return;
        bytes32 id = _financingIds[financingSeed % _financingIds.length];
        address caller = _caller(callerSeed, id);
        bool own = caller == ghostBankOf[id];
        bool ok = own && ghostStatus[id] == 1;

        vm.prank(caller);
        try registry.recordDisbursement(id) {
            if (!own) ++ghostUnauthorizedSuccesses;
            if (!ok) ++ghostUnexpectedOutcomes;
            ghostStatus[id] = 2;
        } catch {
            if (ok) ++ghostUnexpectedOutcomes;
        }
    }

    function recordRepayment(uint256 financingSeed, uint256 callerSeed, uint256 amount) external {
        if (_financingIds.length == 0) return;
        bytes32 id = _financingIds[financingSeed % _financingIds.length];
        address caller = _caller(callerSeed, id);
        (, uint256 total,,) = registry.financing(id);
        amount = bound(amount, 0, total + 1);
        bool own = caller == ghostBankOf[id];
        uint8 status = ghostStatus[id];
        bool ok = own && (status == 1 || status == 2) && amount != 0 && ghostRepaid[id] + amount <= total;

        vm.prank(caller);
        try registry.recordRepayment(id, amount) {
            if (!own) ++ghostUnauthorizedSuccesses;
            if (!ok) ++ghostUnexpectedOutcomes;
            ghostRepaid[id] += amount;
        } catch {
            if (ok) ++ghostUnexpectedOutcomes;
        }
    }

    function closeFinancing(uint256 financingSeed, uint256 callerSeed, uint8 reason) external {
        if (_financingIds.length == 0) return;
        bytes32 id = _financingIds[financingSeed % _financingIds.length];
        address caller = _caller(callerSeed, id);
        reason = uint8(bound(reason, 0, 5));
        bool own = caller == ghostBankOf[id];
        uint8 status = ghostStatus[id];
        bool ok = own && (status == 1 || status == 2) && reason >= 1 && reason <= 4;

        vm.prank(caller);
        try registry.closeFinancing(id, reason) {
            if (!own) ++ghostUnauthorizedSuccesses;
            if (!ok) ++ghostUnexpectedOutcomes;
            ghostStatus[id] = 3;
            (bytes32[] memory decls, uint256[] memory amounts) = registry.financingDeclarations(id);
            for (uint256 i = 0; i < decls.length; ++i) {
                ghostOutstanding[decls[i]] -= amounts[i];
            }
            ++callsClosed;
        } catch {
            if (ok) ++ghostUnexpectedOutcomes;
        }
    }

    // ------------------------------------------------------------------ views for the invariants

    function declarations() external view returns (bytes32[] memory) {
        return _declarations;
    }

    function financingIds() external view returns (bytes32[] memory) {
        return _financingIds;
    }

    function banks() external view returns (address[] memory) {
        return _banks;
    }

    // ------------------------------------------------------------------ internals

    /// @dev Mostly the financing's own bank, sometimes another bank or a non-bank.
    function _caller(uint256 seed, bytes32 id) internal view returns (address) {
        uint256 pick = seed % 8;
        if (pick < 5) return ghostBankOf[id];
        if (pick < 7) return _banks[seed % _banks.length];
        return _nonBanks[seed % _nonBanks.length];
    }

    function _registerDeclaration(bytes32 fingerprint, uint256 faceValue) internal {
        if (ghostFaceValue[fingerprint] != 0) return;
        vm.prank(admin);
        registry.registerDeclaration(fingerprint, faceValue);
        ghostFaceValue[fingerprint] = faceValue;
        _declarations.push(fingerprint);
    }
}
