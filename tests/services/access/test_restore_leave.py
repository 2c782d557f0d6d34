"""Leave to put a backup over the database: an administrator's over a sound file, anyone's over a
missing or damaged one, and only for the file it was given for."""

from __future__ import annotations

import shutil

import pytest

from auditor.domain.permissions import NotPermitted
from auditor.services import maintenance
from tests.builders import ADMIN, who


def test_leave_is_the_administrators_and_for_one_file_only(services, org, tmp_path):
    with pytest.raises(NotPermitted, match="restore the database from a backup"):
        maintenance.permit_restore(services.db, who(services, org.qa))
    granted = maintenance.permit_restore(services.db, who(services, ADMIN))
    assert granted.username == ADMIN and granted.path == services.path.resolve()
    other = tmp_path / "other.db"
    shutil.copy(services.path, other)
    with pytest.raises(NotPermitted, match="another file"):
        maintenance.restore(other, permit=granted)
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_a_sound_file_gets_no_leave_without_signing_in_and_a_missing_one_does(services, tmp_path):
    with pytest.raises(NotPermitted, match="sign in as an administrator"):
        maintenance.permit_restore_damaged(services.path)
    missing = tmp_path / "gone.db"
    assert maintenance.permit_restore_damaged(missing).path == missing.resolve()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert maintenance.permit_restore_damaged(garbage).username == ""
