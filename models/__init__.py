"""Model folders shipped inside the package (`rapportsok.models`), found with importlib.resources.

`ner/model` is a spaCy pipeline folder, loadable with `spacy.load(path)` like any other;
its training data and annotation guide sit beside it but are not installed.
"""

from importlib import resources
from pathlib import Path


def model_path(name: str) -> Path:
    """The folder of a shipped model, e.g. `model_path("ner/model")`."""
    return Path(str(resources.files(__name__).joinpath(name)))
