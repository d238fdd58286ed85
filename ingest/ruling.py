"""Ruling lines (table borders, rules, underlines) and light cell shading taken out of a page image
before OCR.

Tesseract's layout analysis takes a ruled table for a picture, or reads cell borders as `|`, `]`
or `I` and drops the numbers next to them: on a ruled results table of the benchmark it lost
most of the figures (CER 28 %). With the rules painted white and light fills made paper-white,
the same table is read row by row (see README, "OCR").

A rule is a run of dark pixels at least `min_length` long along a row (or column) that is at
most `max_width` thick across it, so letters (short strokes), filled boxes and dark banners
(thick) are left alone. Hand-written with numpy rather than OpenCV: an opening with a long
one-pixel line kernel keeps exactly the runs at least as long as the kernel, which is a few
array operations here and not worth a large native dependency.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

# Grey levels (0 black - 255 white) below INK count as ink when looking for rules; levels above
# PAPER are light shading (coloured or grey cell fills, scanner background) and become white.
INK = 170
PAPER = 200


def _long_runs(mask: np.ndarray, min_length: int, axis: int) -> np.ndarray:
    """The pixels of `mask` that lie in a run of at least `min_length` along `axis`: a
    morphological opening with a line of that length, as an erosion and a dilation by doubling
    shifts (about 2 log2(min_length) whole-array operations)."""
    # The shifts below run along axis 0 of a contiguous copy: shifting along strided rows is
    # several times slower.
    result = np.ascontiguousarray(np.swapaxes(mask, 0, axis))
    span = 1
    while span < min_length:  # erosion: result[i] = all of mask[i : i + span]
        step = min(span, min_length - span)
        result[:-step] &= result[step:]
        result[-step:] = False
        span += step
    span = 1
    while span < min_length:  # dilation: result[i] = any of eroded[i - span + 1 : i + 1]
        step = min(span, min_length - span)
        result[step:] |= result[:-step].copy()
        span += step
    return np.swapaxes(result, 0, axis)


def _rules_along(ink: np.ndarray, axis: int, min_length: int, max_width: int) -> np.ndarray:
    """Rules along `axis`: long runs along it that are thin across it."""
    runs = _long_runs(ink, min_length, axis)
    return runs & ~_long_runs(runs, max_width + 1, 1 - axis)


def rule_mask(ink: np.ndarray, min_length: int, max_width: int) -> np.ndarray:
    """Where the horizontal and vertical rules of an ink mask are, grown by one pixel each way
    to take the anti-aliased edges too."""
    rules = _rules_along(ink, 1, min_length, max_width) | _rules_along(ink, 0, min_length, max_width)
    grown = rules.copy()
    grown[1:] |= rules[:-1]
    grown[:-1] |= rules[1:]
    grown[:, 1:] |= rules[:, :-1]
    grown[:, :-1] |= rules[:, 1:]
    return grown


def clear_ruling(image: Image.Image, min_length: int, max_width: int) -> Image.Image:
    """A greyscale copy of `image` without its ruling lines and light shading.

    `min_length` and `max_width` are in pixels (the caller knows the resolution)."""
    pixels = np.array(image.convert("L"))
    pixels[rule_mask(pixels < INK, min_length, max_width)] = 255
    pixels[pixels > PAPER] = 255
    return Image.fromarray(pixels)
