// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IMemberRegistry
 * @notice Errors, events and external functions of {MemberRegistry}, the consortium member registry.
 */
interface IMemberRegistry {
    /// @dev `role` is not one of the member roles (exporter, bank, regulator, operator).
    error UnknownRole(bytes32 role);

    /// @dev `account` was already registered as a member.
    error AlreadyRegistered(address account);

    /// @dev An address argument that must be set is the zero address.
    error ZeroAddress();

    /// @dev `account` was registered as a member of organisation `orgId` with member role `role`.
    event MemberRegistered(address indexed account, bytes32 indexed role, bytes32 indexed orgId);

    /**
     * @notice Registers `account` as a member of organisation `orgId` and grants it `role`.
     *
     * Requirements:
     *
     * - the caller must have `REGISTRAR_ROLE`.
     * - `role` must be `EXPORTER_ROLE`, `BANK_ROLE`, `REGULATOR_ROLE` or `OPERATOR_ROLE`.
     * - `account` must not be the zero address.
     * - `account` must not have been registered before.
     *
     * Emits a {MemberRegistered} event (and `AccessControl`'s `RoleGranted`).
     */
    function registerMember(address account, bytes32 role, bytes32 orgId) external;

    /**
     * @notice The member role and organisation `account` was registered with (zero values if never
     * registered).
     */
    function memberOf(address account) external view returns (bytes32 role, bytes32 orgId);

    /**
     * @notice Whether `account` currently holds `role` (the `AccessControl` view: a role revoked by
     * the admin no longer counts).
     */
    function isMember(address account, bytes32 role) external view returns (bool);
}
