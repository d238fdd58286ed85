"""Developer tools for Rapportsök: evaluations with thresholds, benchmarks, soak tests and NER training.

Run from the checkout (`rapportsok-dev`, tools/cli/): their default inputs (corpus/, eval/,
models/ner/) are paths relative to the working directory. The product (rapportsok.app, .index,
.ingest) never imports this package.
"""
