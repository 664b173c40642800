"""Decides B1–B3 from life events and the persons mirror: rules as code, explainable, exactly
once.
"""
