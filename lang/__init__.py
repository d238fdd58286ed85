"""The Swedish language layer: numbers, amounts, dates, sentences, stems, stop words and cue phrases.

Plain rules and small libraries (Babel, dateparser, PyStemmer); no spaCy and no models, so that
question analysis and any other caller can import it at no cost. `ingest/` and `index/` read
Swedish through these modules only, so each rule is written once.
"""
