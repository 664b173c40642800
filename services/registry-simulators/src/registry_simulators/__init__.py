"""Simulators of the civil registry feed and the population registry API, an MSE drop-folder
writer, and the synthetic population generator.
"""
