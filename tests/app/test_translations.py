"""Every string of the interface has its Korean, and the shipped translations are current.

``translations/stridescope_ko.ts`` is what a translator edits; ``scripts/update_translations.sh``
refreshes it from the sources and compiles ``resources/translations/stridescope_ko.qm``.
These tests fail when a string in the code is missing from the .ts, lacks its Korean, or
the .qm is older than the .ts, and when a widget is given English text without
``translate``.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TS_FILE = REPO_ROOT / "translations" / "stridescope_ko.ts"
QM_FILE = REPO_ROOT / "resources" / "translations" / "stridescope_ko.qm"
QT_TOOLS = Path(sys.executable).parent
SOURCES = sorted(str(path.relative_to(REPO_ROOT)) for path in (REPO_ROOT / "app").rglob("*.py"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")
FIELD = re.compile(r"\{[a-z_]*\}")
WORD = re.compile(r"[A-Za-z]{3,}")
REFRESH = "run scripts/update_translations.sh and translate what it marks unfinished"

Messages = dict[tuple[str, str], str | None]


def read_messages(ts_file: Path) -> Messages:
    """(context, source) → the finished translation, or None while it is unfinished."""
    messages: Messages = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            finished = translation.get("type") is None and (translation.text or "").strip()
            messages[name, message.findtext("source")] = translation.text if finished else None
    return messages


@pytest.fixture(scope="module")
def shipped() -> Messages:
    return read_messages(TS_FILE)


def test_every_string_in_the_code_is_in_the_translations(tmp_path, shipped):
    extracted = tmp_path / "extracted.ts"
    subprocess.run(
        [QT_TOOLS / "pyside6-lupdate", "-locations", "none", *SOURCES, "-ts", extracted],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    in_code = set(read_messages(extracted))
    assert in_code, "no translate() calls found: is pyside6-lupdate working?"
    missing = sorted(in_code - set(shipped))
    stale = sorted(set(shipped) - in_code)
    assert not missing, f"not in {TS_FILE.name} ({REFRESH}): {missing[:20]}"
    assert not stale, f"in {TS_FILE.name} but gone from the code ({REFRESH}): {stale[:20]}"


def test_every_string_has_natural_korean(shipped):
    unfinished = [key for key, korean in shipped.items() if korean is None]
    assert not unfinished, f"no Korean yet ({REFRESH}): {unfinished[:20]}"
    for (context, source), korean in shipped.items():
        where = f"[{context}] {source!r} → {korean!r}"
        if english_left(FIELD.sub("", source)):
            assert HANGUL.search(korean), f"not Korean: {where}"
        assert sorted(FIELD.findall(korean)) == sorted(FIELD.findall(source)), (
            f"fields differ: {where}"
        )
        accelerator = re.search(r"&(\w)", source)
        if accelerator:
            key = f"&{accelerator.group(1)}".lower()
            assert key in korean.lower(), f"lost its accelerator key: {where}"


def test_shipped_qm_is_compiled_from_the_ts(tmp_path):
    compiled = tmp_path / "compiled.qm"
    subprocess.run(
        [QT_TOOLS / "pyside6-lrelease", "-silent", TS_FILE, "-qm", compiled],
        check=True,
        capture_output=True,
    )
    assert compiled.read_bytes() == QM_FILE.read_bytes(), f"{QM_FILE.name} is stale: {REFRESH}"


# Qt calls that put text on screen, with the positions of their text arguments.
TEXT_CALLS = {
    "setText": (0,),
    "setToolTip": (0,),
    "setStatusTip": (0,),
    "setWhatsThis": (0,),
    "setPlaceholderText": (0,),
    "setWindowTitle": (0,),
    "setTitle": (0,),
    "setLabelText": (0,),
    "setTabText": (1,),
    "setItemText": (1,),
    "setHtml": (0,),
    "setMarkdown": (0,),
    "setFormat": (0,),
    "showMessage": (0,),
    "show_error": (0,),
    "addAction": (0,),
    "addMenu": (0,),
    "addTab": (1,),
    "addItem": (0,),
    "setLabel": (1,),
    "QLabel": (0,),
    "QPushButton": (0,),
    "QToolButton": (0,),
    "QCheckBox": (0,),
    "QRadioButton": (0,),
    "QGroupBox": (0,),
    "QAction": (0,),
    "QDockWidget": (0,),
    "QMenu": (0,),
    "QTreeWidgetItem": (0, 1),
    "QTableWidgetItem": (0,),
    "QListWidgetItem": (0,),
    "QStandardItem": (0,),
    "TextItem": (0,),  # pyqtgraph's text in a plot
    "setHeaderLabels": (0,),
    "setHorizontalHeaderLabels": (0,),
    "setVerticalHeaderLabels": (0,),
    "setInformativeText": (0,),
    "setDetailedText": (0,),
    "setEmptyLabel": (0,),
    "setTabToolTip": (1,),
    "setItemToolTip": (1,),
    "setSuffix": (0,),
    "setPrefix": (0,),
    "setSpecialValueText": (0,),
    "setAccessibleName": (0,),
    "setAccessibleDescription": (0,),
    "setNameFilters": (0,),
    "addItems": (0,),
    "insertItem": (1,),
    "insertItems": (1,),
    "addSection": (0,),
    "QMessageBox": (1, 2),  # (icon, title, text): the static warning() etc. likewise
    "warning": (1, 2),
    "information": (1, 2),
    "critical": (1, 2),
    "question": (1, 2),
    "getInt": (1, 2),
    "getDouble": (1, 2),
    "getText": (1, 2),
    "getItem": (1, 2),
    "getOpenFileName": (1,),
    "getSaveFileName": (1,),
    "QFileDialog": (1,),
}


def words_outside_translate(node: ast.expr, constants: dict[str, str]) -> list[str]:
    """English words of string literals in ``node`` that no ``translate(...)`` call wraps;
    a name of ``constants`` stands for its text (marked for translation or not, it is shown
    untranslated unless ``translate`` is called on it)."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "translate":
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return english_left(node.value)
    if isinstance(node, ast.Name):
        return english_left(constants.get(node.id, ""))
    if isinstance(node, ast.Call):  # "...".format(...) or str.join: look at the receiver
        func = node.func
        if isinstance(func, ast.Attribute):
            return words_outside_translate(func.value, constants)
        return []
    words = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.expr):
            words += words_outside_translate(child, constants)
    return words


def string_constants(tree: ast.Module) -> dict[str, str]:
    """The module's UPPER_CASE names bound to a string, marked with QT_TRANSLATE_NOOP or not."""
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if isinstance(value, ast.Call) and getattr(value.func, "id", None) == "QT_TRANSLATE_NOOP":
            value = value.args[-1]
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id.isupper():
                constants[target.id] = value.value
    return constants


def untranslated_texts(path: Path, constants: dict[str, str]) -> list[str]:
    """Where ``path`` gives Qt English text that no ``translate`` call wraps."""
    where = path.relative_to(REPO_ROOT)
    return untranslated_in(path.read_text(encoding="utf-8"), str(where), constants)


def untranslated_in(code: str, where: str, constants: dict[str, str]) -> list[str]:
    """Where ``code`` (from ``where``) gives Qt English text that no ``translate`` wraps."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        for position in TEXT_CALLS.get(name, ()):
            if position < len(node.args):
                words = words_outside_translate(node.args[position], constants)
                if words:
                    found.append(f"{where}:{node.lineno}: {name}({words})")
    return found


def project_constants() -> dict[str, str]:
    """Every module's string constants by name (a constant is often shown by another module)."""
    constants = {}
    for source in SOURCES:
        constants |= string_constants(ast.parse((REPO_ROOT / source).read_text(encoding="utf-8")))
    return constants


UNTRANSLATED = [
    'QLabel("Stride of the view")',
    'label.setText(f"Offset {offset}")',
    'label.setText("Offset: " + str(offset))',
    "label.setText(HINT)",
    "label.setText(MARKED)",  # marked for lupdate, but shown as it is
    'table.setHorizontalHeaderLabels(["name", "kind of storage"])',
    'QTreeWidgetItem(["storage of x", "own storage"])',
    'QMessageBox.warning(window, "Export failed", "Could not write the file")',
    'box.setInformativeText("Choose another folder")',
    'QInputDialog.getInt(window, "Preferences", "Memory limit in mebibytes")',
    'history.setEmptyLabel("Nothing here yet")',
    'box.addItems(["Quick sweep", "Full sweep"])',
    'spin.setSuffix(" elements")',
    'pg.TextItem("Press Run to start")',
    'tabs.setTabToolTip(0, "The timing results")',
    'QFileDialog.getSaveFileName(window, "Save the picture")',
]
TRANSLATED_OR_CODE = [
    'QLabel(translate("Panel", "Stride of the view"))',
    'label.setText(translate("Panel", "Offset {offset}").format(offset=offset))',
    'label.setText(translate("Panel", MARKED))',
    'QCheckBox("retain_graph")',
    'QLabel("x = y.t()")',
    'box.addItems(["float32", "int64", "cpu"])',
    'QMessageBox.warning(window, translate("P", "Export failed"), str(error))',
    "label.setText(NAME_OF_CODE)",
]
CONSTANTS = {"HINT": "Shows the stride", "MARKED": "Hover a cell", "NAME_OF_CODE": "x.stride()"}


@pytest.mark.parametrize("code", UNTRANSLATED)
def test_english_given_to_qt_is_found(code):
    assert untranslated_in(code, "panel.py", CONSTANTS)


@pytest.mark.parametrize("code", TRANSLATED_OR_CODE)
def test_translated_text_and_code_pass(code):
    assert untranslated_in(code, "panel.py", CONSTANTS) == []


def test_a_constant_is_known_marked_or_not():
    tree = ast.parse(
        'HINT = "Shows the stride"\n'
        'MARKED = QT_TRANSLATE_NOOP("Panel", "Hover a cell")\n'
        "SIZES: tuple = (1, 2)\n"
        'local_name = "not a constant"\n'
    )
    assert string_constants(tree) == {"HINT": "Shows the stride", "MARKED": "Hover a cell"}


def test_widgets_get_their_text_through_translate():
    constants = project_constants()
    found = [
        line for source in SOURCES for line in untranslated_texts(REPO_ROOT / source, constants)
    ]
    assert not found, "English text given to Qt without translate():\n" + "\n".join(found)


# -- the window in Korean --------------------------------------------------------------

# Words that read the same in both languages: code, PyTorch's names, units, products.
KEPT_WORDS = re.compile(
    r"`[^`]*`"  # a code span
    r"|\[\w+\]"  # a subscript: the operation [index]
    r"|\b\w+(?:\.\w+)+(?:\([^)]*\))?"  # x.t(), torch.float32, core.arange(12)
    r"|\b\w+\([^)]*\)"  # stride(), view(12)
    r"|\b[A-Z][a-z]+[A-Z]\w*"  # MulBackward0, AccumulateGrad, StrideScope, PyTorch
    r"|\b\w*[_\d]\w*"  # requires_grad, float32, cuda:0
    r"|\b(?:CPU|GPU|CUDA|CuPy|NumPy|PNG|SVG|CSV|MiB|GiB|KiB|GB|dtype|grad|cpu|cuda|add|sum"
    r"|matmul|contiguous|transfer|strided|transposed|int|float|bool|rand|randn|arange|zeros"
    r"|ones|full|None|True|False|Ctrl|Shift|Alt|Space|Esc|Page|Up|Down|Enter|retain_graph"
    r"|English|view|reshape|expand|unfold|narrow|select|backward|stride|tensor|torch|core|shape"
    r"|device|nbytes|offset|storage|numel)\b"
)


ENGINE_ERROR = re.compile(r"^\w+(Error|Exception): ")
"""PyTorch's own error text, quoted as it is: a student can search for it."""
CODE_LINE = re.compile(r"^\s*(\w+(\s*,\s*\w+)*\s*=\s*\S.*)?$")
"""An assignment (``flat = y.view(12)``), or nothing."""


def english_left(text: str) -> list[str]:
    """English words in ``text`` once code and names that stay English are taken out."""
    plain = re.sub(r"<[^>]+>", "\n", text).replace("&nbsp;", " ")
    if ENGINE_ERROR.match(plain) or all(CODE_LINE.match(line) for line in plain.splitlines()):
        return []
    return WORD.findall(KEPT_WORDS.sub(" ", plain))


def window_texts(window) -> list[tuple[str, str]]:
    """(where, text) for every text of the window's widgets, menus and actions."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QDockWidget,
        QGraphicsTextItem,
        QGraphicsView,
        QGroupBox,
        QLabel,
        QLineEdit,
        QMenu,
        QProgressBar,
        QTabBar,
        QUndoView,
        QWidget,
    )

    found = []
    for widget in window.findChildren(QWidget):
        kind = type(widget).__name__
        texts = [widget.toolTip(), widget.statusTip(), widget.accessibleName()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QGroupBox | QMenu):
            texts.append(widget.title())
        if isinstance(widget, QDockWidget):
            texts.append(widget.windowTitle())
        if isinstance(widget, QComboBox):
            texts.append(widget.placeholderText())
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count())]
            texts += [widget.tabToolTip(i) for i in range(widget.count())]
        if isinstance(widget, QProgressBar):
            texts.append(widget.text())
        if isinstance(widget, QUndoView):
            texts.append(widget.emptyLabel())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()  # column headings (the rows are the user's tensors)
            texts += [
                str(model.headerData(column, Qt.Orientation.Horizontal) or "")
                for column in range(model.columnCount())
            ]
        if isinstance(widget, QGraphicsView) and widget.scene() is not None:
            items = widget.scene().items()  # a plot's title, axis labels and legend
            texts += [item.toPlainText() for item in items if isinstance(item, QGraphicsTextItem)]
        found += [(kind, text) for text in texts if text]
    actions = list(window.menuBar().actions())
    while actions:  # every entry of the menu bar, submenus too (filled as when opened)
        action = actions.pop()
        found += [("QAction", text) for text in (action.text(), action.toolTip()) if text]
        if action.menu() is not None:
            action.menu().aboutToShow.emit()
            actions += action.menu().actions()
    return found


@pytest.fixture
def korean(qapp):
    from app.language import use_language

    use_language(qapp, "ko")
    yield
    use_language(qapp, "en")


def test_the_window_in_korean_has_no_english_left(korean, make_window, qtbot):
    from app.language import korean_font_family
    from core.timing import TimingRow

    window = make_window(
        "x = torch.arange(12.).view(3, 4); y = x.t()\n"
        "a = torch.tensor(2.0, requires_grad=True); b = torch.tensor(-3.0, requires_grad=True)\n"
        "L = a * b + a"
    )
    window.open_lesson("view-reshape", 2)  # a failed view: its explanation panel shows
    window.session.step()
    for dock in window.docks.values():
        dock.show()
    window.timing_panel.show_rows(  # a plot: its title, axes, legend and crossovers
        TimingRow(
            "add", device, "contiguous", size, seconds, 0.0, 12 * size / seconds / 1e9, "GB/s"
        )
        for device, base in (("cpu", 1e-9), ("cuda", 1e-11))
        for size in (2**10, 2**14, 2**18)
        for seconds in [2e-5 * (device == "cuda") + base * size]
    )
    window.session.select("y")
    window.session.hover_logical((1, 2))
    untranslated = sorted(
        {
            f"{where}: {text!r}"
            for where, text in window_texts(window)
            if english_left(text) and not HANGUL.search(text)
        }
    )
    assert not untranslated, "English in the Korean window:\n" + "\n".join(untranslated)
    assert korean_font_family() in window.font().families()
