"""Independent verification of the trade-finance platform's audit log against its on-chain anchors.

`hashing`, `merkle` and `checker` are the one implementation: the platform (backend/audit/)
imports them from this package, so the platform's check and this one are the same code, and this
package installs and runs without the platform. `rpc` reads the AuditAnchor contract over plain
JSON-RPC and `cli` is the `tradefin-verify` command.
"""

__version__ = "1.0.0"
