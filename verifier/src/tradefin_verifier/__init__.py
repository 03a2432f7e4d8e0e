"""Independent verification of the trade-finance platform's audit log against its on-chain anchors.

`hashing`, `merkle` and `checker` are byte-identical copies of the platform's own modules
(backend/audit/), so the platform's check and this one are the same algorithm; `rpc` reads the
AuditAnchor contract over plain JSON-RPC and `cli` is the `tradefin-verify` command.
"""

__version__ = "1.0.0"
