"""OCR of pages without a text layer, through Tesseract.

Tesseract is an optional Debian package: when it (or its French data) is missing the
document gets a warning saying how to install it and the run goes on.  One thread per
Tesseract process (OMP_THREAD_LIMIT=1) is 8 times faster on this kind of machine.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

INSTALL_HINT = (
    "installez Tesseract et sa langue française "
    "(Debian/Ubuntu : sudo apt-get install tesseract-ocr tesseract-ocr-fra)"
)


@lru_cache(maxsize=1)
def ocr_status() -> tuple[bool, str]:
    """(available, reason): Tesseract with French data can be called."""
    try:
        import pytesseract

        pytesseract.get_tesseract_version()
        langs = pytesseract.get_languages(config="")
    except Exception as exc:  # noqa: BLE001 - absence shows in many ways
        return False, f"Tesseract introuvable ({type(exc).__name__})"
    if "fra" not in langs:
        return False, "Tesseract est installé sans le français (tesseract-ocr-fra)"
    return True, "ok"


def ocr_image(image: Image) -> str:
    """Text of one page image, French, automatic page segmentation."""
    import pytesseract

    gray = image.convert("L")
    text: str = pytesseract.image_to_string(gray, lang="fra", config="--psm 3")
    return text
