"""Datasette plugins that `monitor ui` loads with --plugins-dir (Datasette imports every .py file here)."""
