// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title Roles
 * @notice The `AccessControl` role identifiers shared by the consortium contracts.
 *
 * {MemberRegistry} grants the four member roles; the other contracts ask it through
 * {IMemberRegistry-isMember}.
 */
library Roles {
    /// @dev May register consortium members in {MemberRegistry} and declarations in {FinancingRegistry}.
    bytes32 internal constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    /// @dev Member role of exporters (grantors of credit-information authorizations).
    bytes32 internal constant EXPORTER_ROLE = keccak256("EXPORTER_ROLE");

    /// @dev Member role of banks (financiers, grantees of authorizations).
    bytes32 internal constant BANK_ROLE = keccak256("BANK_ROLE");

    /// @dev Member role of regulators.
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");

    /// @dev Member role of platform operators.
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @dev May anchor audit-log batches in {AuditAnchor}.
    bytes32 internal constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");
}
