"""An SMS-gateway simulator: GSM-7/UCS-2 segments, idempotency keys, delivery reports, faults
on demand.
"""
