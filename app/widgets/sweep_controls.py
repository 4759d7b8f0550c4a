"""What a timing sweep runs: experiments, devices, the size range and quick or full."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

import core
import core.timing
from app.i18n import translate
from app.timing_results import experiment_description, size_text

RANGE_SIZES = tuple(2**power for power in range(10, 25, 2))
"""The size range's choices, in elements per input: the full preset's sizes."""
DEVICES = ("cpu", "cuda")


@dataclass(frozen=True)
class SweepRequest:
    """A sweep to run: experiment names, device names and the preset limited to the range."""

    experiments: tuple[str, ...]
    devices: tuple[str, ...]
    preset: core.timing.Preset

    def measurement_count(self) -> int:
        """How many rows the sweep measures on the devices that can run it."""
        count = 0
        for name in self.experiments:
            experiment = core.timing.EXPERIMENTS[name]
            for where in self.devices:
                needed = experiment.needs_device_type
                if needed is None or core.device(where).type == needed:
                    count += len(self.preset.sizes_for(name)) * len(experiment.layouts)
        return count


class SweepControls(QWidget):
    """Check boxes for experiments and devices, the range, and quick or full.

    A device that cannot be timed here is greyed out with its reason as the tooltip, and
    so is an experiment that needs such a device (transfer needs a GPU).

    Signals
    -------
    changed()
        Any choice changed.
    """

    changed = Signal()

    def __init__(self, unavailable: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unavailable = unavailable
        self.experiment_boxes: dict[str, QCheckBox] = {}
        experiments = QGroupBox(translate("SweepControls", "Experiments"))
        experiment_layout = QVBoxLayout(experiments)
        for name, experiment in core.timing.EXPERIMENTS.items():
            needed = experiment.needs_device_type
            description = experiment_description(name)
            box = choice_box(
                name,
                translate("SweepControls", "{description}: needs a GPU ({reason})").format(
                    description=description, reason=unavailable[needed]
                )
                if needed in unavailable
                else description,
                usable=needed not in unavailable,
            )
            experiment_layout.addWidget(box)
            self.experiment_boxes[name] = box

        self.device_boxes: dict[str, QCheckBox] = {}
        devices = QGroupBox(translate("SweepControls", "Devices"))
        device_layout = QVBoxLayout(devices)
        for name in DEVICES:
            box = choice_box(
                device_label(name, unavailable),
                translate("SweepControls", "cannot be timed here: {reason}").format(
                    reason=unavailable[name]
                )
                if name in unavailable
                else "",
                usable=name not in unavailable,
            )
            device_layout.addWidget(box)
            self.device_boxes[name] = box

        sizes = QGroupBox(translate("SweepControls", "Sizes"))
        size_form = QFormLayout(sizes)
        self.smallest, self.largest = QComboBox(), QComboBox()
        for combo in (self.smallest, self.largest):
            for size in RANGE_SIZES:
                combo.addItem(size_text(size), size)
            combo.setToolTip(
                translate(
                    "SweepControls",
                    "elements per input (a matmul of n×n matrices counts n² elements)",
                )
            )
        self.smallest.setCurrentIndex(0)
        self.largest.setCurrentIndex(len(RANGE_SIZES) - 1)
        range_row = QHBoxLayout()
        range_row.addWidget(self.smallest)
        range_row.addWidget(self.largest)
        size_form.addRow(translate("SweepControls", "from, to"), range_row)
        self.quick = QRadioButton(translate("SweepControls", "Quick"))
        self.quick.setToolTip(quick_tooltip(core.timing.QUICK))
        self.full = QRadioButton(translate("SweepControls", "Full"))
        self.full.setToolTip(quick_tooltip(core.timing.FULL))
        self.quick.setChecked(True)
        self._presets = QButtonGroup(self)
        preset_row = QHBoxLayout()
        for button in (self.quick, self.full):
            self._presets.addButton(button)
            preset_row.addWidget(button)
        size_form.addRow(translate("SweepControls", "sweep"), preset_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for group in (experiments, devices, sizes):
            layout.addWidget(group)
        for box in (*self.experiment_boxes.values(), *self.device_boxes.values()):
            box.toggled.connect(self.changed)
        for combo in (self.smallest, self.largest):
            combo.currentIndexChanged.connect(self.changed)
        self._presets.buttonToggled.connect(self.changed)

    def choices(self) -> dict[str, str]:
        """The choices as text, to keep between runs (:meth:`restore`)."""
        return {
            "experiments": ",".join(
                name for name, box in self.experiment_boxes.items() if box.isChecked()
            ),
            "devices": ",".join(name for name, box in self.device_boxes.items() if box.isChecked()),
            "smallest": str(self.smallest.currentData()),
            "largest": str(self.largest.currentData()),
            "sweep": "full" if self.full.isChecked() else "quick",
        }

    def restore(self, choices: dict[str, str]) -> None:
        """Choose as :meth:`choices` said; what is missing, unknown or unavailable here is
        left as it is."""
        for key, boxes in (("experiments", self.experiment_boxes), ("devices", self.device_boxes)):
            usable = {name for name, box in boxes.items() if box.isEnabled()}
            chosen = set(choices.get(key, "").split(",")) & usable
            if chosen:  # none left (a GPU gone since): the defaults stay
                for name in usable:
                    boxes[name].setChecked(name in chosen)
        for key, combo in (("smallest", self.smallest), ("largest", self.largest)):
            index = combo.findData(int(choices[key])) if choices.get(key, "").isdigit() else -1
            if index >= 0:
                combo.setCurrentIndex(index)
        if choices.get("sweep") in ("quick", "full"):
            (self.full if choices["sweep"] == "full" else self.quick).setChecked(True)

    def request(self) -> SweepRequest:
        """The sweep the choices describe.

        Raises
        ------
        ValueError
            When no experiment or device is chosen, the range is empty or reversed, or
            no size of the chosen experiments falls in it (the message says what to do).
        """
        experiments = tuple(name for name, box in self.experiment_boxes.items() if box.isChecked())
        devices = tuple(name for name, box in self.device_boxes.items() if box.isChecked())
        if not experiments:
            raise ValueError(translate("SweepControls", "Choose at least one experiment."))
        if not devices:
            raise ValueError(translate("SweepControls", "Choose at least one device."))
        smallest, largest = self.smallest.currentData(), self.largest.currentData()
        if smallest > largest:
            raise ValueError(
                translate(
                    "SweepControls",
                    "The range runs from {smallest} down to {largest}: "
                    "choose a smallest size at most the largest.",
                ).format(smallest=size_text(smallest), largest=size_text(largest))
            )
        preset = (core.timing.QUICK if self.quick.isChecked() else core.timing.FULL).within(
            smallest, largest
        )
        request = SweepRequest(experiments, devices, preset)
        if request.measurement_count() == 0:
            if preset.name == "quick":
                message = translate(
                    "SweepControls",
                    "No size of the chosen experiments lies between {smallest} and {largest} "
                    "in the quick sweep: widen the range or choose Full.",
                )
            else:
                message = translate(
                    "SweepControls",
                    "No size of the chosen experiments lies between {smallest} and {largest} "
                    "in the full sweep: widen the range.",
                )
            raise ValueError(
                message.format(smallest=size_text(smallest), largest=size_text(largest))
            )
        return request


def choice_box(text: str, tooltip: str, usable: bool) -> QCheckBox:
    """A check box, chosen when ``usable``, else greyed out (its tooltip says why)."""
    box = QCheckBox(text)
    box.setToolTip(tooltip)
    box.setEnabled(usable)
    box.setChecked(usable)
    return box


def device_label(name: str, unavailable: dict[str, str]) -> str:
    """``CPU``, or ``GPU (cuda:0, NVIDIA H100 80GB HBM3)`` when it can be timed here."""
    if name == "cpu":
        return "CPU"
    if name in unavailable:
        return translate("SweepControls", "GPU (cuda): not available")
    return f"GPU (cuda:0, {core.cuda.get_device_name(0)})"


def quick_tooltip(preset: core.timing.Preset) -> str:
    """What a preset sweeps, for its radio button's tooltip."""
    return translate(
        "SweepControls",
        "{preset}: sizes {sizes} (matmul n = {sides}); "
        "{warmup} warm-up and {repeats} timed calls per point",
    ).format(
        preset=preset.name,
        sizes=", ".join(size_text(size) for size in preset.sizes_for("add")),
        sides=", ".join(str(n) for n in preset.sizes_for("matmul")),
        warmup=preset.warmup,
        repeats=preset.repeats,
    )
