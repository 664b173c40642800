"""The synthetic population generator: persons, their registry records and the MSE files."""
