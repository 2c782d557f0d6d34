"""A PDF shown in the app as page images.

Pages are rendered with pypdfium2 (a 3 MB wheel) rather than QtPdf, which on PySide6 6.11 comes only
with PySide6-Addons (about 440 MB with WebEngine). The images are opaque: PDFium paints each page onto
white.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from auditor.ui.shell import look

A4_WIDTH_POINTS = 595.0


def render_pages(path: Path, width_px: int) -> list[QImage]:
    """Every page of the PDF at ``path`` as an image ``width_px`` wide. Safe off the GUI thread
    (QImage, unlike QPixmap, may be made on any thread)."""
    import pypdfium2 as pdfium

    images = []
    document = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                scale = width_px / page.get_width()
                bitmap = page.render(scale=scale, rev_byteorder=True)
                image = QImage(
                    bytes(bitmap.buffer),
                    bitmap.width,
                    bitmap.height,
                    bitmap.stride,
                    QImage.Format.Format_RGB888,
                ).copy()
                bitmap.close()
                images.append(image)
            finally:
                page.close()
    finally:
        document.close()
    return images


class PdfPreview(QScrollArea):
    """Pages one under another, each with a thin frame, in a scrolling column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Preview of the document")
        self.setWidgetResizable(True)
        self.body = QWidget(self)
        self.column = QVBoxLayout(self.body)
        self.column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.column.setSpacing(14)
        self.column.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        self.placeholder = QLabel("Choose a report and press Preview.", self.body)
        look.apply(self.placeholder, "help")
        self.column.addWidget(self.placeholder)
        self.setWidget(self.body)
        self.pages: list[QLabel] = []

    def clear(self, message: str = "") -> None:
        for label in self.pages:
            self.column.removeWidget(label)
            label.deleteLater()
        self.pages = []
        self.placeholder.setText(message)
        self.placeholder.setVisible(bool(message))

    def page_width(self) -> int:
        """How wide to render pages for this view (ask on the GUI thread, render elsewhere)."""
        return min(max(self.viewport().width() - 40, 420), 900)

    def show_pdf(self, path: Path) -> int:
        """Render and show the document here and now; returns its number of pages."""
        return self.show_images(render_pages(path, self.page_width()))

    def show_images(self, images: list[QImage]) -> int:
        """Show pages rendered already; returns their number."""
        self.clear()
        for number, image in enumerate(images, start=1):
            label = QLabel(self.body)
            pixmap = QPixmap.fromImage(image)
            label.setPixmap(pixmap)
            label.setFixedSize(pixmap.size())
            label.setFrameShape(QLabel.Shape.Box)
            label.setAccessibleName(f"Page {number} of {len(images)}")
            self.column.addWidget(label)
            self.pages.append(label)
        return len(images)
