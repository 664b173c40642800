"""Sends one SMS per decision and kind of notice, in the recipient's language, never at night."""
