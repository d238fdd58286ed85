"""Page images around OCR: ruling lines (table borders, rules, underlines) and light cell shading
taken out before it, and the regions of ink it left unread found after it.

Tesseract's layout analysis takes a ruled table for a picture, or reads cell borders as `|`, `]`
or `I` and drops the numbers next to them: on a ruled results table of the benchmark it lost
most of the figures (CER 28 %). With the rules painted white and light fills made paper-white,
the same table is read row by row (see docs/scanned-pages.md, "Ruled tables").

A rule is a run of dark pixels at least `min_length` long along a row (or column) that is at
most `max_width` thick across it, so letters (short strokes), filled boxes and dark banners
(thick) are left alone: a morphological opening with a long line, done with scipy's running
minimum and maximum filters (linear time in the line's length). Pictures (photos, charts in
grey) are left as they are: whitening the light parts of a photo made Tesseract split the text
columns beneath it differently.

Tesseract's page layout (mode 3) can still drop a whole column of a sparse table, however clean:
`unread_regions` finds printed ink that no recognised word covers, outside pictures, so that it
can be read again as a block of its own.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

# Grey levels (0 black - 255 white): below INK is ink when looking for rules; above SHADE is light
# shading (cell fills, a scanner's grey paper); between MIDTONE and SHADE are the mid greys of
# pictures. Light areas at least `extent` pixels wide and high, and light pixels within twice
# `extent` of them (the strips between a cell's text and its border), become white. The grey edges of
# letters on white paper are left alone: they are thinner than `extent`.
INK = 170
SHADE = 200
MIDTONE = 60
PICTURE_MIDTONES = 0.25
SHRINK = 4  # shading and pictures are looked for at a quarter of the resolution
RULE_SHRINK = 2  # rules at half of it


def _long_runs(mask: np.ndarray, min_length: int, axis: int) -> np.ndarray:
    """The pixels of `mask` in a run of at least `min_length` along `axis` (an opening with a
    line; the length is made odd so that the line is centred)."""
    size = min_length | 1
    eroded = ndimage.minimum_filter1d(mask.view(np.uint8), size, axis=axis)
    return ndimage.maximum_filter1d(eroded, size, axis=axis).view(bool)


def _areas(mask: np.ndarray, extent: int) -> np.ndarray:
    """The pixels of `mask` in runs at least `extent` long both across and down."""
    return _long_runs(mask, extent, 0) & _long_runs(mask, extent, 1)


def _grow(mask: np.ndarray, by: int) -> np.ndarray:
    """`mask` grown by `by` pixels in each of the four directions (corners included)."""
    if by == 1:  # the full-size rule mask: plain shifts are several times faster than the filter
        down = mask.copy()
        down[1:] |= mask[:-1]
        down[:-1] |= mask[1:]
        grown = down.copy()
        grown[:, 1:] |= down[:, :-1]
        grown[:, :-1] |= down[:, 1:]
        return grown
    return ndimage.maximum_filter(mask.view(np.uint8), size=2 * by + 1).view(bool)


def rule_mask(pixels: np.ndarray, min_length: int, max_width: int) -> np.ndarray:
    """Where the horizontal and vertical rules of a page are, grown by one pixel each way to take
    their anti-aliased edges too.

    They are looked for at half the resolution (each pixel the darkest of its block, so a thin
    rule stays unbroken), which quarters the work; a run half an inch long crosses word spaces,
    which the halving does not close, so text still never makes one."""
    ink = _shrink(pixels, RULE_SHRINK) < INK
    rules = np.zeros_like(ink)
    for axis in (0, 1):
        runs = _long_runs(ink, min_length // RULE_SHRINK, axis)
        rules |= runs & ~_long_runs(runs, max(1, max_width // RULE_SHRINK) + 1, 1 - axis)
    return _grow(_enlarge(rules, RULE_SHRINK, pixels.shape), 1)


def _shrink(pixels: np.ndarray, factor: int) -> np.ndarray:
    """The page at 1/factor of its resolution, each pixel the darkest of its block: shading and
    pictures are large, so they are found on this smaller image (the text stays dark in it)."""
    height, width = (size // factor * factor for size in pixels.shape)
    page = pixels[:height, :width]
    offsets = [(row, column) for row in range(factor) for column in range(factor)]
    return np.minimum.reduce([page[row::factor, column::factor] for row, column in offsets])


def _enlarge(mask: np.ndarray, factor: int, shape: tuple[int, int]) -> np.ndarray:
    """A mask of the shrunk page back at full size (the uncovered margin stays False)."""
    full = np.zeros(shape, dtype=bool)
    big = mask.repeat(factor, axis=0).repeat(factor, axis=1)
    full[: big.shape[0], : big.shape[1]] = big
    return full


def picture_mask(pixels: np.ndarray, extent: int) -> np.ndarray:
    """Pictures: areas of non-white at least `extent` pixels wide and high in which at least
    PICTURE_MIDTONES of the pixels are mid grey. A photo or a grey box is mostly mid grey; a table
    with shaded cells is light fill, black text and rules (3 % mid grey on the benchmark's)."""
    labels, count = ndimage.label(_areas(pixels < 255, extent))
    midtones = (pixels > MIDTONE) & (pixels <= SHADE)
    shares = ndimage.mean(midtones, labels, np.arange(1, count + 1))
    pictures = np.flatnonzero(np.asarray(shares) >= PICTURE_MIDTONES) + 1
    return np.isin(labels, pictures)


def clear_ruling(image: Image.Image, min_length: int, max_width: int, extent: int) -> Image.Image:
    """A greyscale copy of `image` without its ruling lines and light shading, outside pictures.

    Lengths are in pixels (the caller knows the resolution): `min_length` and `max_width` of a
    rule, `extent` of the smallest shaded area or picture."""
    pixels = np.array(image.convert("L"))
    small = _shrink(pixels, SHRINK)
    small_extent = max(1, extent // SHRINK)
    pictures = picture_mask(small, small_extent)
    light = (small > SHADE) & (small < 255) & ~pictures
    shading = _enlarge(_grow(_areas(light, small_extent), 2 * small_extent), SHRINK, pixels.shape)
    keep = _enlarge(pictures, SHRINK, pixels.shape)
    pixels[rule_mask(pixels, min_length, max_width) & ~keep] = 255
    pixels[shading & (pixels > SHADE) & ~keep] = 255
    return Image.fromarray(pixels)


def unread_regions(
    image: Image.Image, boxes: list[tuple[int, int, int, int]], extent: int
) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, right, bottom; pixels) around ink that none of the word `boxes` covers,
    outside pictures, at least a line high (`2 * extent`). Ink within `extent` of a word counts
    as covered (accents, punctuation); neighbouring unread ink within `2 * extent` is one region.
    """
    small = _shrink(np.asarray(image.convert("L")), SHRINK)
    small_extent = max(1, extent // SHRINK)
    unread = (small < INK) & ~picture_mask(small, small_extent)
    for left, top, right, bottom in boxes:
        unread[
            max(0, top // SHRINK - small_extent) : bottom // SHRINK + small_extent + 1,
            max(0, left // SHRINK - small_extent) : right // SHRINK + small_extent + 1,
        ] = False
    labels, _ = ndimage.label(_grow(unread, 2 * small_extent))
    regions = []
    for rows, columns in ndimage.find_objects(labels):
        if (rows.stop - rows.start) * SHRINK >= 2 * extent:
            regions.append(
                (columns.start * SHRINK, rows.start * SHRINK, columns.stop * SHRINK, rows.stop * SHRINK)
            )
    return regions
