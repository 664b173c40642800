"""A partner-bank simulator: accounts, pain.001 payments validated against the ISO 20022 XSD,
pain.002 status, faults on demand.
"""
