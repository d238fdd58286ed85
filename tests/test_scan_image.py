"""Ruling lines and light shading taken out of page images before OCR (ingest/scan_image.py)."""

from __future__ import annotations

import numpy as np
from PIL import Image
from rapportsok.ingest.scan_image import clear_ruling, unread_regions

MIN_LENGTH, MAX_WIDTH, EXTENT = 150, 10, 12


def _page() -> np.ndarray:
    pixels = np.full((1200, 1000), 255, dtype=np.uint8)
    pixels[100:103, 100:800] = 0  # a horizontal rule, 3 px thick
    pixels[100:600, 950:952] = 30  # a vertical rule, 2 px thick
    pixels[200:240, 300:304] = 0  # a letter's stem: short
    pixels[300:340, 100:900] = 20  # a dark banner: long but thick
    pixels[400:500, 400:700] = 235  # a shaded cell ...
    pixels[430:460, 500:504] = 0  # ... with a figure in it
    rng = np.random.default_rng(1)
    pixels[700:1000, 100:900] = rng.integers(70, 250, (300, 800))  # a photo
    pixels[850:853, 100:900] = 0  # a long dark edge inside it
    return pixels


def test_rules_and_shading_become_white_and_the_rest_stays() -> None:
    before = _page()
    after = np.asarray(clear_ruling(Image.fromarray(before), MIN_LENGTH, MAX_WIDTH, EXTENT))
    assert (after[100:103, 150:800] == 255).all() and (after[100:600, 950:952] == 255).all()
    assert (after[400:500, 400:700][before[400:500, 400:700] == 235] == 255).all()
    for box in (np.s_[200:240, 300:304], np.s_[300:340, 100:900], np.s_[430:460, 500:504]):
        assert (after[box] == before[box]).all()
    # a picture is left as it is, even its long straight edges and its light parts
    assert (after[700:1000, 100:900] == before[700:1000, 100:900]).all()


def test_a_clean_page_is_unchanged() -> None:
    pixels = np.full((400, 400), 255, dtype=np.uint8)
    pixels[100:140, 100:104] = 0
    pixels[100:102, 100:130] = 0  # a short horizontal stroke: a letter, not a rule
    after = np.asarray(clear_ruling(Image.fromarray(pixels), MIN_LENGTH, MAX_WIDTH, EXTENT))
    assert (after == pixels).all()


def test_unread_regions_are_ink_no_word_covers_outside_pictures() -> None:
    pixels = np.full((1200, 1000), 255, dtype=np.uint8)
    pixels[100:130, 100:300] = 0  # a word OCR read
    pixels[100:130, 700:760] = 0  # a column OCR dropped: two figures one above the other
    pixels[160:190, 700:760] = 0
    rng = np.random.default_rng(1)
    pixels[700:1000, 100:900] = rng.integers(70, 250, (300, 800))  # a photo
    image = Image.fromarray(pixels)
    read = [(100, 100, 300, 130)]
    [(left, top, right, bottom)] = unread_regions(image, read, EXTENT)
    assert left <= 700 and right >= 760 and top <= 100 and bottom >= 190 and bottom < 700
    assert unread_regions(image, [*read, (700, 100, 760, 190)], EXTENT) == []
