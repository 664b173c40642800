"""Reads the civil registry feed, the MSE CSV drops and the population registry into Kafka,
each record once.
"""
