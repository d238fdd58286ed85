"""Developer tools (benchmarks, soak tests); never imported by the product."""
