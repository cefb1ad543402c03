"""Draw the installable app's icons (PNG 192 and 512) with Pillow: `python scripts/make_pwa_icons.py`."""

from pathlib import Path

from PIL import Image, ImageDraw

NAVY = (10, 42, 107)
GOLD = (242, 196, 48)
RED = (200, 30, 40)
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def icon(size: int) -> Image.Image:
    scale = 4  # draw large, then downsample for smooth edges
    big = size * scale
    image = Image.new("RGB", (big, big), NAVY)
    draw = ImageDraw.Draw(image)
    # A shield inside the maskable safe zone (the central 80 %).
    m = big * 0.2
    top, bottom, left, right = m, big - m, m, big - m
    mid = big / 2
    draw.polygon(
        [
            (left, top),
            (right, top),
            (right, top + (bottom - top) * 0.55),
            (mid, bottom),
            (left, top + (bottom - top) * 0.55),
        ],
        fill=RED,
        outline=GOLD,
        width=int(big * 0.025),
    )
    # A five-pointed star.
    import math

    r_out, r_in = big * 0.16, big * 0.065
    cx, cy = mid, top + (bottom - top) * 0.42
    points = []
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        a = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    draw.polygon(points, fill=GOLD)
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    for size in (192, 512):
        icon(size).save(OUT / f"icon-{size}.png", optimize=True)
        print(OUT / f"icon-{size}.png")
