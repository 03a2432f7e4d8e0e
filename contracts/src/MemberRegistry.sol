// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";
import {Roles} from "./libraries/Roles.sol";

/**
 * @title MemberRegistry
 * @notice Registry of the consortium's members: each account is registered once, with one member role
 * (exporter, bank, regulator or operator) and the id of its organisation.
 *
 * Roles are plain OpenZeppelin `AccessControl` roles, so the admin (`DEFAULT_ADMIN_ROLE`) can still
 * revoke a member's role to suspend it; {isMember} follows the live role, {memberOf} keeps the
 * registration record.
 */
contract MemberRegistry is AccessControl, IMemberRegistry {
    /// @notice May register members.
    bytes32 public constant REGISTRAR_ROLE = Roles.REGISTRAR_ROLE;
    /// @notice Member role of exporters.
    bytes32 public constant EXPORTER_ROLE = Roles.EXPORTER_ROLE;
    /// @notice Member role of banks.
    bytes32 public constant BANK_ROLE = Roles.BANK_ROLE;
    /// @notice Member role of regulators.
    bytes32 public constant REGULATOR_ROLE = Roles.REGULATOR_ROLE;
    /// @notice Member role of platform operators.
    bytes32 public constant OPERATOR_ROLE = Roles.OPERATOR_ROLE;

    struct Member {
        bytes32 role;
        bytes32 orgId;
    }

    mapping(address account => Member) private _members;

    /**
     * @param admin Account that receives `DEFAULT_ADMIN_ROLE` and `REGISTRAR_ROLE`.
     */
    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REGISTRAR_ROLE, admin);
    }

    /// @inheritdoc IMemberRegistry
    function registerMember(address account, bytes32 role, bytes32 orgId) external onlyRole(REGISTRAR_ROLE) {
        if (!_isMemberRole(role)) revert UnknownRole(role);
        if (account == address(0)) revert ZeroAddress();
        if (_members[account].role != bytes32(0)) revert AlreadyRegistered(account);

        _members[account] = Member({role: role, orgId: orgId});
        _grantRole(role, account);
        emit MemberRegistered(account, role, orgId);
    }

    /// @inheritdoc IMemberRegistry
    function memberOf(address account) external view returns (bytes32 role, bytes32 orgId) {
        Member storage member = _members[account];
        return (member.role, member.orgId);
    }

    /// @inheritdoc IMemberRegistry
    function isMember(address account, bytes32 role) external view returns (bool) {
        return hasRole(role, account);
    }

    function _isMemberRole(bytes32 role) private pure returns (bool) {
        return role == Roles.EXPORTER_ROLE || role == Roles.BANK_ROLE || role == Roles.REGULATOR_ROLE
            || role == Roles.OPERATOR_ROLE;
    }
}
