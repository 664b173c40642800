"""The simulator's I/O: the journal file and the delivery-report callbacks."""
