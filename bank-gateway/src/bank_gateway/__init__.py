"""Opens accounts and pays grants and monthly allowances at the partner bank, exactly once."""
