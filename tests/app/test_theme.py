"""The dark palette: disabled widgets read as disabled."""

import pytest
from PySide6.QtGui import QPalette

from app.theme import dark_palette

TEXT_ROLES = (
    QPalette.ColorRole.Text,
    QPalette.ColorRole.ButtonText,
    QPalette.ColorRole.WindowText,  # a disabled check box's label
)


@pytest.mark.parametrize("role", TEXT_ROLES, ids=lambda role: role.name)
def test_disabled_text_is_dimmer_than_enabled_text(qapp, role):
    palette = dark_palette()
    enabled = palette.color(QPalette.ColorGroup.Active, role)
    disabled = palette.color(QPalette.ColorGroup.Disabled, role)
    assert disabled.lightness() < enabled.lightness() - 60
