// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IFinancingRegistry} from "./interfaces/IFinancingRegistry.sol";
import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";
import {Roles} from "./libraries/Roles.sol";

/**
 * @title FinancingRegistry
 * @notice Cross-bank ledger of export-declaration encumbrance: the platform registers declarations with
 * their face value, banks record the financings they grant against them, and the registry guarantees that
 * the sum of the amounts of a declaration's open financings never exceeds its face value (no double
 * financing across banks).
 *
 * Only the bank that recorded a financing can move it through its lifecycle:
 * Active -> (Disbursed) -> Closed, with repayments allowed while Active or Disbursed.
 */
contract FinancingRegistry is AccessControl, IFinancingRegistry {
    /// @notice May register declarations.
    bytes32 public constant REGISTRAR_ROLE = Roles.REGISTRAR_ROLE;

    uint8 private constant _STATUS_NONE = 0;
    uint8 private constant _STATUS_ACTIVE = 1;
    uint8 private constant _STATUS_DISBURSED = 2;
    uint8 private constant _STATUS_CLOSED = 3;

    uint8 private constant _REASON_CANCELLED = 4;

    struct Declaration {
        // Zero means "not registered": a registered declaration always has a nonzero face value.
        uint256 faceValue;
        uint256 outstanding;
    }

    struct Financing {
        address bank;
        uint8 status;
        uint256 total;
        uint256 repaid;
        bytes32[] declarations;
        uint256[] amounts;
    }

    IMemberRegistry private immutable _members;

    mapping(bytes32 fingerprint => Declaration) private _declarations;
    mapping(bytes32 financingId => Financing) private _financings;

    /**
     * @param members The {MemberRegistry} that says which accounts are banks.
     * @param admin Account that receives `DEFAULT_ADMIN_ROLE` and `REGISTRAR_ROLE`.
     */
    constructor(address members, address admin) {
        if (members == address(0) || admin == address(0)) revert ZeroAddress();
        _members = IMemberRegistry(members);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REGISTRAR_ROLE, admin);
    }

    /// @inheritdoc IFinancingRegistry
    function registerDeclaration(bytes32 fingerprint, uint256 faceValue) external onlyRole(REGISTRAR_ROLE) {
        Declaration storage decl = _declarations[fingerprint];
        if (decl.faceValue != 0) revert DeclarationAlreadyRegistered(fingerprint);
        if (faceValue == 0) revert ZeroAmount();

        decl.faceValue = faceValue;
        emit DeclarationRegistered(fingerprint, faceValue);
    }

    /// @inheritdoc IFinancingRegistry
    function recordFinancing(bytes32 financingId, bytes32[] calldata declarations, uint256[] calldata amounts)
        external
    {
        if (!_members.isMember(msg.sender, Roles.BANK_ROLE)) revert NotBank(msg.sender);
        Financing storage fin = _financings[financingId];
        if (fin.status != _STATUS_NONE) revert FinancingAlreadyRecorded(financingId);
        if (declarations.length != amounts.length) revert LengthMismatch();
        if (declarations.length == 0) revert EmptyFinancing();

        uint256 total = 0;
        for (uint256 i = 0; i < declarations.length; ++i) {
            bytes32 fingerprint = declarations[i];
            uint256 amount = amounts[i];
            if (amount == 0) revert ZeroAmount();
            Declaration storage decl = _declarations[fingerprint];
            uint256 faceValue = decl.faceValue;
            if (faceValue == 0) revert UnknownDeclaration(fingerprint);
            uint256 outstanding = decl.outstanding;
            // Invariant: outstanding <= faceValue, so the subtraction cannot underflow and the
            // comparison cannot overflow whatever `amount` is.
            uint256 available = faceValue - outstanding;
            if (amount > available) revert ExceedsFaceValue(fingerprint, amount, available);

            outstanding += amount;
            decl.outstanding = outstanding;
            total += amount;
            emit DeclarationEncumbered(fingerprint, financingId, amount, outstanding);
        }

        fin.bank = msg.sender;
        fin.status = _STATUS_ACTIVE;
        fin.total = total;
        fin.declarations = declarations;
        fin.amounts = amounts;
        emit FinancingRecorded(financingId, msg.sender, total);
    }

    /// @inheritdoc IFinancingRegistry
    function recordDisbursement(bytes32 financingId) external {
        Financing storage fin = _ownFinancing(financingId);
        if (fin.status != _STATUS_ACTIVE) revert InvalidStatus(financingId, fin.status);

        fin.status = _STATUS_DISBURSED;
        emit FinancingDisbursed(financingId);
    }

    /// @inheritdoc IFinancingRegistry
    function recordRepayment(bytes32 financingId, uint256 amount) external {
        Financing storage fin = _ownFinancing(financingId);
        uint8 status = fin.status;
        if (status != _STATUS_ACTIVE && status != _STATUS_DISBURSED) revert InvalidStatus(financingId, status);
        if (amount == 0) revert ZeroAmount();
        uint256 repaid = fin.repaid;
        uint256 remaining = fin.total - repaid;
        if (amount > remaining) revert RepaymentExceedsTotal(financingId, amount, remaining);

        repaid += amount;
        fin.repaid = repaid;
        emit FinancingRepaid(financingId, amount, repaid);
    }

    /// @inheritdoc IFinancingRegistry
    function closeFinancing(bytes32 financingId, uint8 reason) external {
        Financing storage fin = _ownFinancing(financingId);
        uint8 status = fin.status;
        if (status != _STATUS_ACTIVE && status != _STATUS_DISBURSED) revert InvalidStatus(financingId, status);
        if (reason == 0 || reason > _REASON_CANCELLED) revert InvalidReason(reason);

        bytes32[] storage declarations = fin.declarations;
        uint256[] storage amounts = fin.amounts;
        uint256 count = declarations.length;
        for (uint256 i = 0; i < count; ++i) {
            bytes32 fingerprint = declarations[i];
            uint256 amount = amounts[i];
            Declaration storage decl = _declarations[fingerprint];
            uint256 outstanding = decl.outstanding - amount;
            decl.outstanding = outstanding;
            emit DeclarationReleased(fingerprint, financingId, amount, outstanding);
        }

        fin.status = _STATUS_CLOSED;
        emit FinancingClosed(financingId, reason);
    }

    /// @inheritdoc IFinancingRegistry
    function declaration(bytes32 fingerprint)
        external
        view
        returns (uint256 faceValue, uint256 outstanding, bool registered)
    {
        Declaration storage decl = _declarations[fingerprint];
        return (decl.faceValue, decl.outstanding, decl.faceValue != 0);
    }

    /// @inheritdoc IFinancingRegistry
    function financing(bytes32 financingId)
        external
        view
        returns (address bank, uint256 total, uint256 repaid, uint8 status)
    {
        Financing storage fin = _financings[financingId];
        return (fin.bank, fin.total, fin.repaid, fin.status);
    }

    /// @inheritdoc IFinancingRegistry
    function financingDeclarations(bytes32 financingId)
        external
        view
        returns (bytes32[] memory declarations, uint256[] memory amounts)
    {
        Financing storage fin = _financings[financingId];
        return (fin.declarations, fin.amounts);
    }

    /// @notice The {MemberRegistry} consulted for bank membership.
    function memberRegistry() external view returns (address) {
        return address(_members);
    }

    /// @dev The financing `financingId`, which the caller must have recorded.
    function _ownFinancing(bytes32 financingId) private view returns (Financing storage fin) {
        fin = _financings[financingId];
        if (fin.bank != msg.sender) revert NotFinancingBank(financingId, msg.sender);
    }
}
