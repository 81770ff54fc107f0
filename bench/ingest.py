"""Reading speed and memory: achat-check's reading next to plain pypdfium2, same run.

    python bench/ingest.py            # real DCEs (if ../shared is here) + a generated 200-page PDF

Target (issue 2): achat-check's reading (structure and needed tables included, OCR
excluded) at least 1/3 of plain pypdfium2 text extraction; peak memory under 300 MB for
the 200-page PDF.  Both sides alternate three times; each keeps its best run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, long_pdf, peak_rss_mb_children, real_dce_folders, timed  # noqa: I001

from achat_check.ingest import read_member
from achat_check.ingest.archive import Member
from achat_check.settings import Limits


def plain_pypdfium2(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    n = len(pdf)
    for i in range(n):
        page = pdf[i]
        tp = page.get_textpage()
        tp.get_text_range()
        tp.close()
        page.close()
    pdf.close()
    return n


def is_scanned(data: bytes) -> bool:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return all(len(pdf[i].get_textpage().get_text_range().strip()) < 12 for i in range(len(pdf)))
    finally:
        pdf.close()


def compare(files: list[Path], limits: Limits) -> dict:
    blobs = [(str(p), p.read_bytes()) for p in files]
    blobs = [(n, b) for n, b in blobs if not is_scanned(b)]  # OCR excluded from the comparison
    # alternated, best of three on each side: one slow moment of this machine's background
    # load must not decide the ratio (as in bench/check.py and bench/batch.py)
    plain_runs, our_runs = [], []
    for _ in range(3):
        plain_runs.append(timed(lambda: sum(plain_pypdfium2(b) for _, b in blobs)))
        our_runs.append(timed(lambda: [read_member(Member(n, b), limits) for n, b in blobs]))
    pages, t_plain = plain_runs[0][0], min(t for _, t in plain_runs)
    t_ours = min(t for _, t in our_runs)
    return {
        "files": len(blobs),
        "pages": pages,
        "pypdfium2_pages_per_s": round(pages / t_plain, 1),
        "achat_check_pages_per_s": round(pages / t_ours, 1),
        "ratio": round(t_plain / t_ours, 3),
    }


def pdfplumber_reference(data: bytes, pages: int = 20) -> dict:
    """pdfplumber on the same file, for the record (text and tables of the first pages)."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        _, t_text = timed(lambda: [p.extract_text() for p in pdf.pages[:pages]])
    with pdfplumber.open(io.BytesIO(data)) as pdf:  # fresh: no characters parsed yet
        _, t_tables = timed(lambda: [p.extract_tables() for p in pdf.pages[:pages]])
    return {
        "pdfplumber_text_pages_per_s": round(pages / t_text, 1),
        "pdfplumber_tables_pages_per_s": round(pages / t_tables, 1),
    }


def memory_of_one(path: Path) -> float:
    """Peak RSS (MB) of a fresh process reading one file with achat-check."""
    code = (
        f"import sys; sys.path[:0]=[{str(ROOT / 'src')!r}, {str(ROOT)!r}];"
        f"from achat_check.ingest import ingest; r=ingest([{str(path)!r}]); print(len(r.documents[0].page_spans))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return round(peak_rss_mb_children(), 1)


def main() -> None:
    limits = Limits(max_ocr_pages=0)
    results = {}
    real = [p for d in real_dce_folders() for p in sorted(d.rglob("*")) if p.suffix.lower() == ".pdf"]
    if real:
        compare(real[:2], limits)  # warm imports and caches
        results["real_dce_pdfs"] = compare(real, limits)
    else:
        print("../shared/real/dce absent : mesure sur les DCE réels ignorée", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "cctp-200-pages.pdf"
        big.write_bytes(long_pdf(200))
        results["generated_200_pages"] = compare([big], limits)
        results["generated_200_pages"]["peak_rss_mb"] = memory_of_one(big)
        results["generated_200_pages"].update(pdfplumber_reference(big.read_bytes()))
    target_ok = all(r["ratio"] >= 1 / 3 for r in results.values() if "ratio" in r)
    mem_ok = results["generated_200_pages"]["peak_rss_mb"] < 300
    results["targets"] = {"ratio_at_least_1_3": target_ok, "peak_rss_under_300_mb": mem_ok}
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
