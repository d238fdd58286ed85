"""Can a PDF page's ruling lines form a table at all? A cheap check before pdfplumber.

pdfplumber finds ruled tables from the page's path edges, but to get them it lays out every
character of the page with pdfminer (most of ingest time on table-heavy reports). pypdfium2
reads the same paths in C in a fraction of that time. This module turns a page's pdfium paths
into edges the way pdfminer and pdfplumber do (each subpath's points, Bézier control points
left out; a two-point line is a line, other paths give an edge between each two points that
share an x or a y) and runs pdfplumber's own table functions on them (`merge_edges`,
`edges_to_intersections`, `intersections_to_cells`, `cells_to_tables`). A page where no table
of at least two rows and two columns comes out has no ruled table `ingest.tables.read_table`
could accept (it needs two rows and a column of values beside the labels), so pdfplumber
need not read it.

The check errs towards keeping a page: edges that are nearly (not exactly) horizontal or
vertical count, a slanted line counts on both its sides, and the join and intersection
tolerances are a little wider than pdfplumber's defaults, so float rounding between pdfium and
pdfminer cannot hide a table pdfplumber would find. Rotation is applied as pdfminer applies it;
where the page sits does not matter to the check.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import (
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
    merge_edges,
)
from pdfplumber.utils import filter_edges

STRAIGHT = 0.01  # points: two ends this close in x (or y) make an edge vertical (horizontal)
SLACK = 0.5  # points added to pdfplumber's join and intersection tolerances, taken off its lengths

_SETTINGS = TableSettings()

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
_ROTATIONS: dict[int, Matrix] = {  # pdfminer's page matrix per /Rotate, less its translation
    0: (1, 0, 0, 1, 0, 0),
    90: (0, -1, 1, 0, 0, 0),
    180: (-1, 0, 0, -1, 0, 0),
    270: (0, 1, -1, 0, 0, 0),
}


def _times(m: Matrix, n: Matrix) -> Matrix:
    """The matrix that applies m, then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _matrix(obj: pdfium_c.FPDF_PAGEOBJECT) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _subpaths(obj: pdfium_c.FPDF_PAGEOBJECT, matrix: Matrix) -> list[tuple[list[Point], bool]]:
    """A path object's subpaths as page points (the end point of each segment, as pdfminer keeps
    them; a closed subpath ends at its start again), each with whether it is all straight."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[tuple[list[Point], bool]] = []
    points: list[Point] = []
    straight = True
    bezier = 0
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if points:
                subpaths.append((points, straight))
            points, straight, bezier = [], True, 0
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            straight = False
            if bezier % 3:
                continue  # a control point: pdfminer keeps only the curve's end
        else:
            bezier = 0
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        points.append((a * x.value + c * y.value + e, b * x.value + d * y.value + f))
        if pdfium_c.FPDFPathSegment_GetClose(segment) and points[-1] != points[0]:
            points.append(points[0])
    if points:
        subpaths.append((points, straight))
    return subpaths


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict:
    return {
        "object_type": "curve_edge",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
    }


def _edges(points: list[Point], straight: bool) -> list[dict]:
    """pdfplumber's edges of one subpath (top measured downwards)."""
    unique = list(dict.fromkeys(points))
    edges = []
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        left, right, top, bottom = min(x0, x1), max(x0, x1), -max(y0, y1), -min(y0, y1)
        if abs(y1 - y0) <= STRAIGHT:
            edges.append(_edge("h", left, right, top, bottom))
        elif abs(x1 - x0) <= STRAIGHT:
            edges.append(_edge("v", left, right, top, bottom))
        elif straight and len(unique) == 2:
            # pdfplumber takes a slanted line for a vertical edge at its left end; count both
            # ends and both directions, so that no rotation makes the check miss it.
            edges += [_edge("v", x, x, top, bottom) for x in (left, right)]
            edges += [_edge("h", left, right, y, y) for y in (top, bottom)]
    return edges


def _page_edges(page: pdfium.PdfPage) -> list[dict]:
    rotation = _ROTATIONS.get(page.get_rotation() % 360, _ROTATIONS[0])
    edges: list[dict] = []
    stack = [
        (pdfium_c.FPDFPage_GetObject(page.raw, i), rotation)
        for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))
    ]
    while stack:  # form XObjects are followed to any depth, as pdfminer follows them
        obj, outer = stack.pop()
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            for points, straight in _subpaths(obj, _times(_matrix(obj), outer)):
                edges += _edges(points, straight)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            inner = _times(_matrix(obj), outer)
            stack += [
                (pdfium_c.FPDFFormObj_GetObject(obj, i), inner)
                for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))
            ]
    return edges


def may_hold_ruled_table(page: pdfium.PdfPage) -> bool:
    """Whether pdfplumber's "lines" strategy could find a table of at least two rows and two
    columns on the page (False only when it surely cannot)."""
    edges = filter_edges(_page_edges(page), min_length=_SETTINGS.edge_min_length_prefilter - SLACK)
    if not edges:
        return False
    merged = merge_edges(
        edges,
        snap_x_tolerance=_SETTINGS.snap_x_tolerance,
        snap_y_tolerance=_SETTINGS.snap_y_tolerance,
        join_x_tolerance=_SETTINGS.join_x_tolerance + SLACK,
        join_y_tolerance=_SETTINGS.join_y_tolerance + SLACK,
    )
    merged = filter_edges(merged, min_length=_SETTINGS.edge_min_length - SLACK)
    intersections = edges_to_intersections(
        merged,
        _SETTINGS.intersection_x_tolerance + SLACK,
        _SETTINGS.intersection_y_tolerance + SLACK,
    )
    for cells in cells_to_tables(intersections_to_cells(intersections)):
        if len({cell[1] for cell in cells}) >= 2 and len({cell[0] for cell in cells}) >= 2:
            return True
    return False
