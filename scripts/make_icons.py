"""Draw the installable web app's icons (static/icons/icon-192.png, icon-512.png): the favicon's
yellow star on the product's red, full-bleed so a phone's mask (circle, squircle) keeps the star.

    .venv/bin/python scripts/make_icons.py
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw

RED = (183, 28, 28)  # #b71c1c, the theme colour
YELLOW = (255, 213, 79)  # #ffd54f
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def star(size: int) -> Image.Image:
    big = size * 4  # drawn large, then scaled down: smooth edges
    image = Image.new("RGB", (big, big), RED)
    draw = ImageDraw.Draw(image)
    cx, cy = big / 2, big * 0.53
    outer, inner = big * 0.30, big * 0.30 * 0.382  # a regular five-pointed star, within the safe zone
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=YELLOW)
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        star(size).save(OUT / f"icon-{size}.png", optimize=True)
        print(OUT / f"icon-{size}.png")
