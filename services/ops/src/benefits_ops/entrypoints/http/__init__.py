"""The HTTP edge: one module per area (API routes under ``/api/v1`` and console pages)."""
