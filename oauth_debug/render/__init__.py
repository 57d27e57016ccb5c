"""Pure functions that turn traces (and diagnoses) into text, markdown and JSON-ready values.

Nothing here prints or exits; the CLI decides where output goes. Rich is imported only by the
modules that draw with it, so the JSON and markdown renderers stay light.
"""
