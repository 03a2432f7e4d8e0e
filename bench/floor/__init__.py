"""The floor of a write on this server, for the API benchmark only (never in the platform's URL conf).

`POST /api/bench-floor/` does the least a write of the platform can do: authenticate, validate one
field, and in one transaction append an audit event (`?mode=audit`), or also read the caller's chain
account and write an outbox entry for the chain (`?mode=chain`: what every chain-recorded write needs
before its own business). Measured beside GET /api/me/ on the same server, it shows how much of a
write's budget is left for its business.

`POST /api/bench-floor/one-statement-submission/` takes a receivable submission's body, validates and
answers it with the platform's own serializers, and does all its reads and writes in one statement:
what a stored procedure could make of a submission at best.
"""
