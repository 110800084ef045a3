"""Strawberry types, one concept per module; every node kind of MODEL.md implements ``Node``."""
