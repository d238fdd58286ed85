"""Evaluation and benchmark tools; never imported by the product."""
