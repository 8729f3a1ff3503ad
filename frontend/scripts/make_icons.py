"""Draws the service's icons into public/ (run once; the PNG and ICO files are committed).

The icon: three white dots (a pool of people) on the header's blue. No GOV.UK crown or crest:
this is a council service. Pure Python, no imaging library needed.
"""

import struct
import zlib
from pathlib import Path

BLUE = (0x1D, 0x70, 0xB8)
WHITE = (0xFF, 0xFF, 0xFF)
DOTS = [(0.30, 0.38), (0.70, 0.38), (0.50, 0.70)]  # centres, as fractions of the size
RADIUS = 0.16

PUBLIC = Path(__file__).resolve().parent.parent / "public"


def pixel(x: float, y: float) -> tuple[int, int, int]:
    for cx, cy in DOTS:
        if (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS**2:
            return WHITE
    return BLUE


def png(size: int) -> bytes:
    rows = bytearray()
    samples = 4  # 4x4 supersampling for smooth edges
    for j in range(size):
        rows.append(0)  # filter: none
        for i in range(size):
            acc = [0, 0, 0]
            for sj in range(samples):
                for si in range(samples):
                    colour = pixel((i + (si + 0.5) / samples) / size, (j + (sj + 0.5) / samples) / size)
                    for k in range(3):
                        acc[k] += colour[k]
            rows.extend(round(c / samples**2) for c in acc)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")


def ico(png_bytes: bytes, size: int) -> bytes:
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(png_bytes), 6 + 16)
    return directory + entry + png_bytes


def main() -> None:
    PUBLIC.mkdir(exist_ok=True)
    for size in (180, 192, 512):
        (PUBLIC / f"icon-{size}.png").write_bytes(png(size))
    (PUBLIC / "favicon.ico").write_bytes(ico(png(48), 48))


if __name__ == "__main__":
    main()
