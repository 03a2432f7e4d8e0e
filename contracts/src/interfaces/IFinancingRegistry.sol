// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IFinancingRegistry
 * @notice Errors, events and external functions of {FinancingRegistry}, which tracks how much of each
 * export declaration's face value is encumbered by bank financings, so that no declaration is financed
 * beyond its face value across banks.
 *
 * Amounts are in minor currency units (cents). Financing statuses: 0 None, 1 Active, 2 Disbursed,
 * 3 Closed. Closure reasons: 1 repaid, 2 withdrawn, 3 written off, 4 cancelled.
 */
interface IFinancingRegistry {
    /// @dev `fingerprint` is already registered.
    error DeclarationAlreadyRegistered(bytes32 fingerprint);

    /// @dev An amount (face value, financed amount or repayment) is zero.
    error ZeroAmount();

    /// @dev `account` is not a bank member.
    error NotBank(address account);

    /// @dev `financingId` was already recorded.
    error FinancingAlreadyRecorded(bytes32 financingId);

    /// @dev The declarations and amounts arrays differ in length.
    error LengthMismatch();

    /// @dev A financing names no declaration.
    error EmptyFinancing();

    /// @dev `declaration` was never registered.
    error UnknownDeclaration(bytes32 declaration);

    /// @dev Financing `requested` on `declaration` would exceed its face value; `available` is left.
    error ExceedsFaceValue(bytes32 declaration, uint256 requested, uint256 available);

    /// @dev `caller` is not the bank that recorded `financingId` (or the financing does not exist).
    error NotFinancingBank(bytes32 financingId, address caller);

    /// @dev The operation is not allowed while `financingId` has status `status`.
    error InvalidStatus(bytes32 financingId, uint8 status);

    /// @dev A repayment of `requested` exceeds the `remaining` unrepaid amount of `financingId`.
    error RepaymentExceedsTotal(bytes32 financingId, uint256 requested, uint256 remaining);

    /// @dev `reason` is not a closure reason (1 to 4).
    error InvalidReason(uint8 reason);

    /// @dev An address argument that must be set is the zero address.
    error ZeroAddress();

    /// @dev Declaration `fingerprint` was registered with face value `faceValue`.
    event DeclarationRegistered(bytes32 indexed fingerprint, uint256 faceValue);

    /// @dev `amount` of `declaration` was encumbered by `financingId`; `outstanding` is its new total.
    event DeclarationEncumbered(
        bytes32 indexed declaration, bytes32 indexed financingId, uint256 amount, uint256 outstanding
    );

    /// @dev `bank` recorded financing `financingId` of `total` over one or more declarations.
    event FinancingRecorded(bytes32 indexed financingId, address indexed bank, uint256 total);

    /// @dev Financing `financingId` was disbursed.
    event FinancingDisbursed(bytes32 indexed financingId);

    /// @dev `amount` of financing `financingId` was repaid; `totalRepaid` is repaid so far.
    event FinancingRepaid(bytes32 indexed financingId, uint256 amount, uint256 totalRepaid);

    /// @dev `amount` of `declaration` was released by closing `financingId`; `outstanding` is its new total.
    event DeclarationReleased(
        bytes32 indexed declaration, bytes32 indexed financingId, uint256 amount, uint256 outstanding
    );

    /// @dev Financing `financingId` was closed for `reason`.
    event FinancingClosed(bytes32 indexed financingId, uint8 reason);

    /**
     * @notice Registers export declaration `fingerprint` with face value `faceValue`.
     *
     * Requirements:
     *
     * - the caller must have `REGISTRAR_ROLE`.
     * - `fingerprint` must not be registered yet.
     * - `faceValue` must not be zero.
     *
     * Emits a {DeclarationRegistered} event.
     */
    function registerDeclaration(bytes32 fingerprint, uint256 faceValue) external;

    /**
     * @notice Records financing `financingId` by the calling bank, encumbering `amounts[i]` of
     * `declarations[i]` for each `i`. The same declaration may appear more than once; the entries
     * are then applied one after the other.
     *
     * Requirements:
     *
     * - the caller must be a bank member.
     * - `financingId` must not have been recorded.
     * - `declarations` and `amounts` must have the same, nonzero, length.
     * - every amount must be nonzero and every declaration registered.
     * - for every declaration, outstanding + amount must not exceed its face value.
     *
     * Emits a {DeclarationEncumbered} event per declaration, then a {FinancingRecorded} event.
     */
    function recordFinancing(bytes32 financingId, bytes32[] calldata declarations, uint256[] calldata amounts)
        external;

    /**
     * @notice Marks financing `financingId` as disbursed.
     *
     * Requirements:
     *
     * - the caller must be the bank that recorded the financing.
     * - the financing must be Active.
     *
     * Emits a {FinancingDisbursed} event.
     */
    function recordDisbursement(bytes32 financingId) external;

    /**
     * @notice Records a repayment of `amount` on financing `financingId`.
     *
     * Requirements:
     *
     * - the caller must be the bank that recorded the financing.
     * - the financing must be Active or Disbursed.
     * - `amount` must be nonzero and at most the unrepaid remainder (total - repaid).
     *
     * Emits a {FinancingRepaid} event.
     */
    function recordRepayment(bytes32 financingId, uint256 amount) external;

    /**
     * @notice Closes financing `financingId` for `reason` and releases everything it encumbered.
     *
     * Requirements:
     *
     * - the caller must be the bank that recorded the financing.
     * - the financing must be Active or Disbursed (not already closed).
     * - `reason` must be 1 (repaid), 2 (withdrawn), 3 (written off) or 4 (cancelled).
     *
     * Emits a {DeclarationReleased} event per declaration, then a {FinancingClosed} event.
     */
    function closeFinancing(bytes32 financingId, uint8 reason) external;

    /// @notice Face value and encumbered (outstanding) amount of declaration `fingerprint`.
    function declaration(bytes32 fingerprint)
        external
        view
        returns (uint256 faceValue, uint256 outstanding, bool registered);

    /// @notice Bank, total, repaid amount and status (0 None, 1 Active, 2 Disbursed, 3 Closed) of a financing.
    function financing(bytes32 financingId)
        external
        view
        returns (address bank, uint256 total, uint256 repaid, uint8 status);

    /// @notice The declarations a financing encumbers and the amount on each, in recording order.
    function financingDeclarations(bytes32 financingId)
        external
        view
        returns (bytes32[] memory declarations, uint256[] memory amounts);
}
