"""Tests for the `lrsched` namespace: every public name, loaded on first use."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lrsched
from lrsched import _curves
from lrsched._names import BUILTINS, HOMES, LEAF_ALIASES, NOT_LEAVES, SPELLED
from lrsched._state import class_type_name


def run(code: str) -> str:
    """The stdout of *code* run in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


LOADED = "sorted(m for m in sys.modules if m.startswith('lrsched.'))"


class TestPublicNames:
    """Tests for what ``lrsched`` exports."""

    @pytest.mark.parametrize("name", lrsched.__all__)
    def test_every_name_in_all_resolves(self, name: str) -> None:
        """Each name of ``__all__`` is an attribute, and in ``dir(lrsched)``."""
        assert getattr(lrsched, name) is not None
        assert name in dir(lrsched)

    def test_lowercase_constructors_are_the_classes(self) -> None:
        """``lrsched.cosine is lrsched.Cosine``, and so on for every leaf."""
        for name in _curves.__all__:
            snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
            assert getattr(lrsched, name) is getattr(_curves, name)
            built = getattr(lrsched, snake)
            # a constructor with published spellings (lrsched._compat) wraps its class
            assert built is getattr(_curves, name) or (
                snake in SPELLED and built.__wrapped__ is getattr(_curves, name)
            )

    def test_builtin_table_names_each_registered_class(self) -> None:
        """Each `BUILTINS` entry is the class registered under its name; every leaf has one."""
        types = lrsched.registered_types()
        for name, (module, qualname) in BUILTINS.items():
            cls = types[name]
            assert (cls.__module__, cls.__qualname__) == (f"lrsched.{module}", qualname)
            assert class_type_name(cls) == name
        assert {getattr(_curves, n) for n in _curves.__all__} <= set(types.values())

    def test_every_lazy_name_is_public_and_every_public_name_has_a_home(self) -> None:
        """The loader's tables and ``__all__`` name the same things."""
        eager = {
            "BaseSchedule",
            "GroupSchedule",
            "Schedule",
            "SupportsArrayNamespace",
            "__version__",
        }
        assert {*HOMES, *LEAF_ALIASES} == set(lrsched.__all__) - eager

    def test_every_leaf_is_listed_in_its_module_and_in_curves(self) -> None:
        """Each built-in leaf is in its family module's ``__all__`` and in ``_curves``."""
        for module, qualname in BUILTINS.values():
            if module not in NOT_LEAVES:
                assert qualname in importlib.import_module(f"lrsched.{module}").__all__
                assert qualname in _curves.__all__
        assert len(_curves.__all__) == len(LEAF_ALIASES) + len(
            SPELLED - {"polynomial_decay", "exponential_decay", "warmup_stable_decay"}
        )

    def test_unknown_name_is_an_attribute_error(self) -> None:
        """A name lrsched does not have raises AttributeError naming it."""
        with pytest.raises(AttributeError, match="'cosin'"):
            _ = lrsched.cosin  # type: ignore[attr-defined]

    def test_dir_lists_the_public_names_not_the_helpers(self) -> None:
        """``dir(lrsched)`` has every public name and none of the loader's helpers."""
        names = dir(lrsched)
        assert set(lrsched.__all__) <= set(names)
        assert not {"importlib", "Any", "TYPE_CHECKING", "HOMES", "LEAF_ALIASES"} & set(names)

    def test_star_import_gets_everything(self) -> None:
        """``from lrsched import *`` binds every name of ``__all__``."""
        out = run("from lrsched import *; print(cosine is Cosine, callable(with_warmup))")
        assert out == "True True"


class TestLazyLoading:
    """Tests for loading each schedule module only when one of its names is used."""

    def test_import_loads_no_schedule_module(self) -> None:
        """``import lrsched`` imports the base, the math and the name tables, no schedule."""
        out = run(f"import sys, lrsched; print({LOADED})")
        assert out == "['lrsched._base', 'lrsched._math', 'lrsched._names']"

    def test_a_curve_loads_its_own_module_only(self) -> None:
        """Building a cosine with warmup loads its family and the composites, no other curve."""
        out = run(
            "import sys, lrsched; "
            "c = lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=90); "
            "s = lrsched.warmup(steps=10) >> c; "
            f"print(s(10), {LOADED})"
        )
        value, loaded = out.split(" ", 1)
        assert value == "1.0"
        for module in ("_decays", "_compose"):
            assert f"'lrsched.{module}'" in loaded
        for module in ("_steps", "_cycles", "_warmups", "_piecewise", "_curves", "_stepper"):
            assert f"'lrsched.{module}'" not in loaded

    def test_loading_a_state_imports_the_types_it_names(self) -> None:
        """from_state_dict finds a built-in type whose module is not loaded yet."""
        out = run(
            "import lrsched; "
            "s = lrsched.from_state_dict({'type': 'triangular', 'min_lr': 0.0, 'max_lr': 1.0, "
            "'step_size': 2}); print(type(s).__name__, s(1))"
        )
        assert out == "Triangular 0.5"

    def test_unknown_type_suggests_an_unloaded_builtin(self) -> None:
        """The did-you-mean of an unknown type also knows built-ins not loaded yet."""
        out = run(
            "import lrsched\n"
            "try:\n"
            "    lrsched.from_state_dict({'type': 'triangulr'})\n"
            "except ValueError as e:\n"
            "    print(e)"
        )
        assert "triangular" in out

    def test_a_builtin_name_is_taken_before_its_module_loads(self) -> None:
        """Registering another class as 'wsd' fails even while lrsched._warmups is not loaded."""
        out = run(
            "import sys, attrs, lrsched\n"
            "@attrs.frozen\n"
            "class Wsd(lrsched.BaseSchedule):\n"
            "    lr: float\n"
            "    def __call__(self, step, /):\n"
            "        return self.lr\n"
            "try:\n"
            "    lrsched.register(Wsd)\n"
            "except ValueError as e:\n"
            "    print('lrsched._warmups' in sys.modules, e)"
        )
        assert out.startswith("False schedule type name 'wsd' is taken by lrsched._warmups.Wsd")

    def test_registry_survives_reloading_the_state_module(self) -> None:
        """After ``importlib.reload(lrsched._state)`` built-ins still save, load and list."""
        out = run(
            "import importlib, lrsched, lrsched._state as st\n"
            "c = lrsched.cosine(base_lr=1.0, min_lr=0.0, total_steps=3)\n"
            "importlib.reload(st)\n"
            "state = c.state_dict()\n"
            "print(state['type'], st.from_state_dict(state) == c, len(st.registered_types()))"
        )
        assert out == f"cosine True {len(BUILTINS)}"

    def test_a_copy_under_another_package_name_is_self_contained(self, tmp_path: Path) -> None:
        """A vendored copy (``vendor.lrsched``) loads its own modules and registry."""
        shutil.copytree(Path(lrsched.__file__).parent, tmp_path / "vendor" / "lrsched")
        (tmp_path / "vendor" / "__init__.py").write_text("")
        code = (
            "import sys; sys.path.insert(0, sys.argv[1])\n"
            "from vendor import lrsched as L\n"
            "c = L.warmup(steps=2) >> L.cosine(base_lr=1.0, min_lr=0.0, total_steps=3)\n"
            "print(type(c.schedule).__module__, L.from_state_dict(c.state_dict()) == c)"
        )
        result = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "vendor.lrsched._decays True"

    def test_registered_types_lists_builtins_first_in_order(self) -> None:
        """registered_types() loads every built-in and lists them in the documented order."""
        out = run(
            "import lrsched; print(list(lrsched.registered_types())[:5]); "
            "print(len(lrsched.registered_types()))"
        )
        assert out.splitlines() == [
            "['constant', 'step_decay', 'multi_step', 'exponential', 'linear']",
            str(len(BUILTINS)),
        ]
