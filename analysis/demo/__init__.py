"""The demo: simulated responses to the built-in instrument and the whole job run on them."""
from __future__ import annotations

from coprod.analysis.demo.run import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
